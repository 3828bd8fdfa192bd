"""The submission's fast answer list loads exactly what the nested schema would, and fails the same way."""

from __future__ import annotations

import marshmallow as ma
from hypothesis import given, settings
from hypothesis import strategies as st

from services.survey.ballots.schemas import ALL_DIMENSIONS, AnswerSchema, SubmissionSchema
from services.survey.rounds.domain.rules import TARGET_TYPES
from services.survey.rounds.schemas import StrictSchema


class NestedSubmission(StrictSchema):
    """The plain declaration the fast list stands for."""

    answers = ma.fields.List(ma.fields.Nested(AnswerSchema), required=True,
                             validate=SubmissionSchema._declared_fields["answers"].validators)


def _load(schema: ma.Schema, body):
    try:
        return "ok", schema.load(body)
    except ma.ValidationError as error:
        return "error", error.messages


odd = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=3), st.integers())
answer = st.fixed_dictionaries(
    {"target_type": st.one_of(st.sampled_from(TARGET_TYPES), odd), "target_id": st.one_of(st.integers(), odd),
     "dimension": st.one_of(st.sampled_from(ALL_DIMENSIONS), odd), "score": st.one_of(st.integers(1, 5), odd)},
    optional={"extra": odd})


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.lists(answer, max_size=6), odd, st.lists(odd, max_size=2)))
def test_the_fast_list_loads_and_refuses_as_the_nested_schema_does(answers):
    body = {"answers": answers}
    assert _load(SubmissionSchema(), body) == _load(NestedSubmission(), body)


def test_a_plain_ballot_of_twenty_answers_loads_as_given():
    answers = [{"target_type": "person", "target_id": t, "dimension": d, "score": 4}
               for t in range(5) for d in ("awareness", "skill", "performance", "solidarity")]
    assert SubmissionSchema().load({"answers": answers}) == {"answers": answers}
