"""marshmallow schemas of ballots: what a ballot shows and what a submission must be."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.survey.rounds.domain.rules import DIMENSIONS, TARGET_TYPES
from services.survey.rounds.schemas import StrictSchema
from shared.i18n import bilingual

ALL_DIMENSIONS = sorted({key for dims in DIMENSIONS.values() for key, _ in dims})


class ServiceTargetSchema(ma.Schema):
    """A 三服务 service target the rated target set for the round's period."""

    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    content = ma.fields.String(required=True)


class BallotTargetSchema(ma.Schema):
    target_type = ma.fields.String(required=True, metadata={"enum": list(TARGET_TYPES)})
    target_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    dimensions = ma.fields.List(ma.fields.String(), required=True)
    service_targets = ma.fields.List(ma.fields.Nested(ServiceTargetSchema), required=True, metadata={
        "description": "三服务: what this target promised for the round's period (three_way rounds; else empty)"})


class DimensionSchema(ma.Schema):
    key = ma.fields.String(required=True)
    label = ma.fields.String(required=True)


class ScaleSchema(ma.Schema):
    min = ma.fields.Integer(required=True)
    max = ma.fields.Integer(required=True)
    labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


class BallotSchema(ma.Schema):
    round_id = ma.fields.Integer(required=True)
    title = ma.fields.String()
    closes_at = ma.fields.DateTime()
    allow_partial = ma.fields.Boolean()
    targets = ma.fields.List(ma.fields.Nested(BallotTargetSchema), required=True)
    dimensions = ma.fields.List(ma.fields.Nested(DimensionSchema), required=True)
    scale = ma.fields.Nested(ScaleSchema, required=True)


class AnswerSchema(StrictSchema):
    target_type = ma.fields.String(required=True, validate=v.OneOf(TARGET_TYPES))
    target_id = ma.fields.Integer(required=True, strict=True)
    dimension = ma.fields.String(required=True, validate=v.OneOf(ALL_DIMENSIONS))
    score = ma.fields.Integer(required=True, strict=True)


ANSWER_KEYS = frozenset(AnswerSchema._declared_fields)
_TARGET_TYPES, _DIMENSIONS = frozenset(TARGET_TYPES), frozenset(ALL_DIMENSIONS)


def _plainly_valid(item: object) -> bool:
    """An answer ``AnswerSchema`` would load unchanged: exactly its keys, known strings, plain ints."""
    return (type(item) is dict and item.keys() == ANSWER_KEYS and item["target_type"] in _TARGET_TYPES
            and item["dimension"] in _DIMENSIONS and type(item["target_id"]) is int and type(item["score"]) is int)


class AnswerList(ma.fields.List):
    """``List(Nested(AnswerSchema))`` (documented as such) that loads a list of plainly valid answers
    without a schema pass per item — the hot path of a round, 20 answers a ballot; any other list
    (a bad item, a bool for an int, an extra key) goes through the nested schema for its errors."""

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is list and all(_plainly_valid(item) for item in value):
            return [dict(item) for item in value]
        return super()._deserialize(value, attr, data, **kwargs)


class SubmissionSchema(StrictSchema):
    answers = AnswerList(
        ma.fields.Nested(AnswerSchema), required=True,
        validate=v.Length(min=1, max=5000, error=bilingual("至少填写一项评分", "answer at least one item")),
    )


class SubmittedSchema(ma.Schema):
    round_id = ma.fields.Integer(required=True)
    answers = ma.fields.Integer(required=True, metadata={"description": "answers stored"})
