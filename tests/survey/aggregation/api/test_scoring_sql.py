"""The set-based scoring of PostgreSQL (one INSERT … SELECT per chunk) against the Python reference
(``domain.scoring`` on the database's statistics), on the same random answers: every stored column equal —
the exact fraction's text, the grade, the display floats, suppression — under default and odd settings
(scale 1–7, trimming from 3, bounds like 74.5), with targets of every dimension-scored type, some
without answers, some with too few raters, some missing a dimension, and one with 30,000 ratings."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import insert, select

from services.survey.aggregation import scoring_sql, steps
from services.survey.models import Answer, Result, Round, RoundTarget
from services.survey.rounds.domain.rules import DIMENSIONS, round_settings
from shared.db import utcnow

pytestmark = pytest.mark.services  # SQLite scores in Python (the reference itself)

TYPES = [t for t in DIMENSIONS if t != "pledge"]
ODD = {"scale_max": 7, "trim_min": 3, "min_group": 2, "fail_grade": "差",
       "grades": [{"grade": "甲", "min": 74.5}, {"grade": "乙", "min": 100 / 3}, {"grade": "丙", "min": 20}]}


def _round(survey, settings: dict, seed: int) -> int:
    rng = random.Random(seed)
    with survey.db.session() as s:
        round_ = Round(kind="three_way", title="对照", root_org_id=1, root_path="/1/", closes_at=utcnow(),
                       state="closed", settings=round_settings(settings), closed_at=utcnow())
        s.add(round_)
        s.flush()
        targets = [{"round_id": round_.id, "target_type": TYPES[i % len(TYPES)], "target_id": 100 + i,
                    "name": f"对象{i}", "org_id": 10 + i // 7, "org_path": f"/1/{10 + i // 7}/"} for i in range(60)]
        s.execute(insert(RoundTarget), targets)
        refs = s.execute(select(RoundTarget.id, RoundTarget.target_type)
                         .where(RoundTarget.round_id == round_.id).order_by(RoundTarget.id)).all()
        top = round_.settings["scale_max"]
        answers = []
        for position, (ref, target_type) in enumerate(refs):
            raters = [0, 1, 2, 3, 4, 5, 6, 9, 17][position % 9] if position else 30_000 // 5
            for key in DIMENSIONS[target_type]:
                if position % 11 == 5 and key == DIMENSIONS[target_type][-1]:
                    continue  # a dimension nobody answered
                for _ in range(raters if position % 13 != 7 else rng.randint(0, raters)):
                    answers.append({"id": uuid.uuid4().hex, "round_id": round_.id, "target_ref": ref,
                                    "dimension": key[0], "part": None, "score": rng.randint(1, top)})
        for i in range(0, len(answers), 20_000):
            s.execute(insert(Answer), answers[i:i + 20_000])
        return round_.id


def _results(survey, round_id: int) -> list[tuple]:
    with survey.db.session() as s:
        return [(r.target_ref, r.n, r.ratings, r.rating_sum, r.dimensions, r.parts, r.score, r.score_exact, r.own_self,
                 r.grade, r.suppressed, r.suppression)
                for r in s.scalars(select(Result).where(Result.round_id == round_id).order_by(Result.target_ref))]


@pytest.mark.parametrize(("overrides", "seed", "chunk"), [({}, 1, 60), (ODD, 2, 60), (ODD, 3, 7)])
def test_the_statement_scores_every_target_as_the_python_reference(survey, overrides, seed, chunk):
    round_id = _round(survey, overrides, seed)
    with survey.db.session() as s:
        round_ = s.get(Round, round_id)
        round_.settings = {**round_.settings, "aggregation_chunk": chunk}
    with survey.db.session() as s:
        ranges = steps.chunks(s, s.get(Round, round_id))
    with survey.db.session() as s:
        round_ = s.get(Round, round_id)
        assert scoring_sql.applies(s, round_)
        for low, high in ranges:
            steps.score_chunk(s, round_, low, high)
    reference = _results(survey, round_id)
    with survey.db.session() as s:  # the statement overwrites every row (it upserts, as a re-run does)
        assert sum(steps.compute_chunk(s, round_id, low, high) for low, high in ranges) == 60
    got = _results(survey, round_id)
    assert len(got) == 60
    assert got == reference
    scored = [r for r in got if not r[10]]
    assert len({r[9] for r in scored}) >= 2  # grades were decided, not all one
    assert any(r[11] == "min_group" and r[2] > 0 for r in got)  # too few raters, ratings still pooled
    assert max(r[2] for r in got) >= 30_000 // 5 * 3
