"""Ballot secrecy, tried as a database reader would: after release, an answer points at its batch, no narrower.

Each submission gives all its answers one score of its own (the test's key to who answered what; a reader
of the database has no such key).  Then the attacker's queries: ``xmin`` joins of answers to ballots and
the answers' physical order (``ctid`` / ``rowid``) against the order of submission; on SQLite the bytes of
the database file and its WAL; on PostgreSQL the pool's pages after ``VACUUM``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from services.survey import tasks
from services.survey.aggregation import inline
from services.survey.ballots import release
from services.survey.rounds.domain.tokens import token_hash

from ...support import fill, invitations

SUBMISSIONS = 8  # released as a batch of 5 while the round is open, and the 3 left at closing (floor 3)


def _submit_in_order(survey_client, sent) -> list[int]:
    """SUBMISSIONS ballots, submission i scoring every answer i + 1; their ballot ids in submission order."""
    tokens = list(invitations(sent).values())[:SUBMISSIONS]
    for i, token in enumerate(tokens):
        ballot = survey_client.get(f"/api/v1/ballots/{token}").get_json()
        assert survey_client.post(f"/api/v1/ballots/{token}", json={"answers": fill(ballot, i + 1)}).status_code == 201
    return tokens


def _physical(session) -> list[tuple[int, str]]:
    """(score, transaction) of every answer in storage order, as a reader of the table's pages sees them."""
    if session.bind.dialect.name == "postgresql":
        sql = "SELECT score, xmin::text FROM survey_answers ORDER BY ctid"
    else:
        sql = "SELECT score, '' FROM survey_answers ORDER BY rowid"
    return [tuple(r) for r in session.execute(text(sql))]


def test_released_answers_point_at_their_batch_and_no_narrower(make_round, survey, survey_client, sent, admin,
                                                               monkeypatch):
    monkeypatch.setattr(release, "IN_CHUNK", 2)  # the pooled rows deleted a few ids per statement
    rid = make_round(scale_max=10, min_group=3, release_batch=2)["id"]
    tokens = _submit_in_order(survey_client, sent)
    with survey.db.session() as s:  # pooled: nothing in the answers table yet
        assert s.execute(text("SELECT count(*) FROM survey_answers")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM survey_answer_pool")).scalar() == SUBMISSIONS

    assert tasks.release_answers() == {rid: SUBMISSIONS - 3}  # one batch while open; 3 wait for the closing
    assert tasks.release_answers() == {}  # 3 pooled: less than two batches, nothing more while open
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)  # the aggregation releases the last 3 before counting

    with survey.db.session() as s:
        assert s.execute(text("SELECT count(*) FROM survey_answer_pool")).scalar() == 0
        ballots = s.execute(text("SELECT id, token_hash, used, released FROM survey_ballots")).all()
        submitted = {token_hash(t) for t in tokens}
        assert {b.token_hash for b in ballots if b.used} == submitted
        assert all(b.released for b in ballots if b.used) and not any(b.released for b in ballots if not b.used)
        rows = _physical(s)
        if s.bind.dialect.name == "postgresql":
            # xmin: each batch's answers and ballots share one transaction id, and nothing narrower exists
            answer_xmins = Counter(x for _, x in rows)
            used_xmins = Counter(x for (x,) in s.execute(text("SELECT xmin::text FROM survey_ballots WHERE used")))
            assert sorted(used_xmins.values()) == [3, 5] and set(used_xmins) == set(answer_xmins)
            joined = s.execute(text(
                "SELECT a.id, count(b.id) FROM survey_answers a JOIN survey_ballots b ON a.xmin::text = b.xmin::text"
                " GROUP BY a.id")).all()
            assert len(joined) == len(rows) and min(n for _, n in joined) >= 3  # every answer: 3 or 5 candidates
            assert {len({x for sc, x in rows if sc == score}) for score, _ in rows} == {1}  # a set: one batch
            # the pool's pages: VACUUM after the release left nothing (the dead tuples held submission xids)
            assert s.execute(text("SELECT pg_relation_size('survey_answer_pool')")).scalar() == 0
    # storage order: not the order of submission (nor grouped by submission): shuffled across the batch
    scores = [score for score, _ in rows]
    assert scores != sorted(scores)
    runs = 1 + sum(1 for a, b in itertools.pairwise(scores) if a != b)
    assert runs > 3 * SUBMISSIONS  # grouped by submission would be SUBMISSIONS runs


def test_sqlite_files_keep_nothing_of_the_released_pool(make_round, survey, survey_client, sent, admin):
    if survey.db.dialect != "sqlite":
        return  # PostgreSQL's side is the VACUUM checked above
    rid = make_round(scale_max=10, min_group=3, release_batch=2)["id"]
    _submit_in_order(survey_client, sent)
    pooled = re.compile(rb'"[a-z_]+", (null|"[a-z]+"), \d+\]')  # [target_ref, "dimension", part, score]
    path = Path(survey.db.url.split("///", 1)[1])
    files = [path, path.with_name(path.name + "-wal")]
    assert any(pooled.search(f.read_bytes()) for f in files if f.exists())  # the attacker's pattern works
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    assert inline.run(survey.unit_of_work, rid)
    assert not [f for f in files if f.exists() and pooled.search(f.read_bytes())]


def test_invitations_and_reminders_are_private_notifications(make_round, survey, sent):
    from services.survey.rounds import reminders

    make_round(hours=2)
    with survey.unit_of_work() as ctx:
        reminders.remind_due(ctx)
    sends = sent.of("notify.send")
    assert {p["category"] for p in sends} == {"survey_invite", "survey_reminder"}
    assert all(p["private"] for p in sends)
