"""After a whole round, nothing in the survey database joins an answer back to a person, a ballot or a token."""

from __future__ import annotations

import random
import re

from sqlalchemy import Date, DateTime, inspect, select

from services.survey.aggregation import inline
from services.survey.models import Answer, Ballot
from services.survey.rounds.domain.tokens import token_hash

from ...support import answer_all, invitations


def _dump(survey) -> dict[str, list[dict]]:
    with survey.db.session() as s:
        return {t.name: [dict(r._mapping) for r in s.execute(select(t))] for t in survey.metadata.sorted_tables}


def test_a_dump_of_every_table_holds_nothing_that_joins_answers_to_raters(make_round, survey, survey_client, sent,
                                                                          admin):
    rid = make_round()["id"]
    tokens = invitations(sent)
    answer_all(survey_client, sent, random.Random(9))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    dump = _dump(survey)
    text = repr(dump)

    # tokens are nowhere (not even in the outbox: the relay blanks what it sent); hashes only on ballots
    assert not [t for t in tokens.values() if t in text]
    hashes = {token_hash(t) for t in tokens.values()}
    for table, rows in dump.items():
        for row in rows:
            cells = {str(v) for v in row.values()}
            assert table == "survey_ballots" or not cells & hashes, table

    # the answer table: what was rated and how, nothing else
    answers = Answer.__table__
    assert {c.name for c in answers.columns} == {"id", "round_id", "target_ref", "dimension", "part", "score"}
    assert not [c for c in answers.columns if isinstance(c.type, DateTime | Date)]
    assert not {c.name for c in answers.columns} & {"ballot_id", "person_id", "token_hash", "org_id", "created_at"}
    rows = dump["survey_answers"]
    # 四强 6×4 + 3×3 + 2×2 ratings, 三贴近 4 + 3 + 2, 三凝聚 3 + 1 — times their dimensions
    assert len(rows) == (6 * 4 + 3 * 3 + 2 * 2) * 4 + (4 + 3 + 2) * 3 + (3 + 1) * 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", r["id"]) and r["id"][12] == "4" for r in rows)  # uuid4: random
    # the only column answers share with ballots is the round; their ids cannot meet (hex string vs integer)
    shared = {c.name for c in answers.columns} & {c.name for c in Ballot.__table__.columns}
    assert shared == {"id", "round_id"}
    # no table that carries scores carries a person or a time
    for table in ("survey_answers", "survey_results", "survey_org_summaries"):
        columns = inspect(survey.db.engine).get_columns(table)
        assert not [c["name"] for c in columns if "person" in c["name"] or "ballot" in c["name"]
                    or c["name"].endswith("_at") or c["name"].endswith("_on")], table
    # what is known about a ballot: who, which org, used (and its answers released) or not — and not when
    assert {c.name for c in Ballot.__table__.columns} == {"id", "round_id", "person_id", "org_id", "org_path",
                                                          "token_hash", "reminder_hash", "used", "released"}
    assert dump["survey_answer_pool"] == []
    assert all(r["reminder_hash"] is None for r in dump["survey_ballots"])
