"""Use cases of rounds: create, open, close (by hand or at ``closes_at``), remind, progress."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from services.survey.app import service
from services.survey.directory.models import directory
from services.survey.rounds import issuing
from services.survey.rounds.access import org_path, require_round_admin, view_scope
from services.survey.rounds.domain.lifecycle import transition
from services.survey.rounds.domain.messages import AggregateRound
from services.survey.rounds.domain.rules import round_settings
from services.survey.rounds.models import Ballot, Round
from shared.auth import Principal, require_org
from shared.directory import path_ids
from shared.errors import NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual


def used_count():
    """``SUM(used)`` portable to SQLite and PostgreSQL (booleans are not summable on PostgreSQL)."""
    return func.sum(case((Ballot.used.is_(True), 1), else_=0))


def get_round(session: Session, round_id: int, *, lock: bool = False) -> Round:
    stmt = select(Round).where(Round.id == round_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    round_ = session.scalars(stmt).first()
    if round_ is None:
        raise NotFound()
    return round_


def ballot_count(session: Session, round_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id)) or 0


def view(session: Session, round_: Round) -> dict:
    data = {c: getattr(round_, c) for c in ("id", "kind", "title", "root_org_id", "state", "closes_at", "settings",
                                             "created_at", "opened_at", "closed_at", "results_at", "aggregation_error")}
    return {**data, "ballots": ballot_count(session, round_.id)}


def read_round(session: Session, principal: Principal, round_id: int) -> dict:
    round_ = get_round(session, round_id)
    view_scope(session, principal, round_)
    return view(session, round_)


def create_round(session: Session, principal: Principal, data: dict, now: datetime) -> dict:
    path = org_path(session, data["root_org_id"])
    if path is None:
        raise ValidationFailed(errors=field_errors(root_org_id=bilingual("组织不存在", "no such org")))
    require_org(principal, path_ids(path))
    if data["closes_at"] <= now:
        raise ValidationFailed(errors=field_errors(
            closes_at=bilingual("截止时间必须晚于现在", "must be in the future")))
    round_ = Round(kind=data["kind"], title=data["title"], root_org_id=data["root_org_id"], root_path=path,
                   closes_at=data["closes_at"], state="draft", settings=round_settings(data.get("settings")),
                   created_at=now)
    session.add(round_)
    session.flush()
    return view(session, round_)


def open_round(session: Session, principal: Principal, round_id: int, now: datetime) -> dict:
    round_ = get_round(session, round_id, lock=True)
    require_round_admin(session, principal, round_)
    round_.state = transition(round_.state, "open")
    if round_.closes_at <= now:
        raise ValidationFailed(errors=field_errors(closes_at=bilingual("截止时间已过", "the closing time has passed")))
    issued = issuing.issue(session, round_)
    if issued == 0:
        raise ValidationFailed(errors=field_errors(
            root_org_id=bilingual("该范围内没有可参评的人员", "nobody in this subtree can rate anything")))
    round_.opened_at = now
    return {**view(session, round_), "ballots": issued}


def close(session: Session, round_: Round, now: datetime) -> None:
    """Close and queue the aggregation in the same transaction (outbox to our own queue)."""
    round_.state = transition(round_.state, "close")
    round_.closed_at = now
    session.execute(update(Ballot).where(Ballot.round_id == round_.id, Ballot.reminder_hash.is_not(None))
                    .values(reminder_hash=None))
    service.publish(session, AggregateRound(round_id=round_.id))


def close_round(session: Session, principal: Principal, round_id: int, now: datetime) -> dict:
    round_ = get_round(session, round_id, lock=True)
    require_round_admin(session, principal, round_)
    close(session, round_, now)
    return view(session, round_)


def request_aggregation(session: Session, principal: Principal, round_id: int) -> dict:
    """Re-run the aggregation of a closed round (idempotent: results are recomputed, not added)."""
    round_ = get_round(session, round_id, lock=True)
    require_round_admin(session, principal, round_)
    transition(round_.state, "aggregate")
    service.publish(session, AggregateRound(round_id=round_.id, rerun=True))
    return view(session, round_)


def close_due(session: Session, now: datetime) -> list[int]:
    """Rounds whose ``closes_at`` has come: closed (the scheduler calls this every minute)."""
    due = session.scalars(select(Round).where(Round.state == "open", Round.closes_at <= now)
                          .order_by(Round.id)).all()
    for round_ in due:
        close(session, round_, now)
    return [r.id for r in due]


def requeue_stale(session: Session, now: datetime, after: timedelta) -> list[int]:
    """Rounds closed or aggregating for longer than ``after`` without results: queue them again."""
    stale = session.scalars(select(Round).where(
        ((Round.state == "closed") & (Round.closed_at <= now - after))
        | ((Round.state == "aggregating") & (Round.aggregation_started_at <= now - after)))).all()
    for round_ in stale:
        service.publish(session, AggregateRound(round_id=round_.id))
    return [r.id for r in stale]


def remind_due(session: Session, now: datetime) -> dict[int, int]:
    """One reminder per unused ballot of rounds closing within ``reminder_hours``.

    Invitation tokens are not kept (only their hashes), so a reminder carries a fresh token for the
    same ballot: its hash is stored beside the first one and either opens the ballot, which still
    takes one submission.  Reminder hashes are dropped at close.
    """
    sent: dict[int, int] = {}
    for round_ in session.scalars(select(Round).where(Round.state == "open", Round.reminded_at.is_(None))).all():
        if now < round_.closes_at - timedelta(hours=round_.settings["reminder_hours"]):
            continue
        round_.state = transition(round_.state, "remind")
        round_.reminded_at = now
        unused = session.execute(select(Ballot.id, Ballot.person_id).where(
            Ballot.round_id == round_.id, Ballot.used.is_(False)).order_by(Ballot.id)).all()
        tokens = [issuing.new_token() for _ in unused]
        if unused:
            session.execute(update(Ballot), [{"id": b.id, "reminder_hash": issuing.token_hash(t)}
                                             for b, t in zip(unused, tokens, strict=True)])
        holders = [(b.person_id, t) for b, t in zip(unused, tokens, strict=True)]
        issuing.invite(session, round_, holders, "survey_reminder", "reminder")
        sent[round_.id] = len(holders)
    return sent


def progress(session: Session, principal: Principal, round_id: int) -> dict:
    """Issued and used ballots per org (who answered what is known to no one)."""
    round_ = get_round(session, round_id)
    scope = view_scope(session, principal, round_)
    o = directory.orgs
    stmt = (select(Ballot.org_id, o.c.name, func.count(), used_count())
            .join(o, o.c.id == Ballot.org_id, isouter=True)
            .where(Ballot.round_id == round_.id).group_by(Ballot.org_id, o.c.name).order_by(Ballot.org_id))
    if scope is not None:
        stmt = stmt.where(Ballot.org_path.startswith(scope))
    by_org = [{"org_id": org_id, "name": name, "issued": issued, "used": int(used or 0)}
              for org_id, name, issued, used in session.execute(stmt)]
    return {"issued": sum(r["issued"] for r in by_org), "used": sum(r["used"] for r in by_org), "by_org": by_org}
