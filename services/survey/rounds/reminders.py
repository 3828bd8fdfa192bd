"""The reminder a day before a round closes, to every ballot not yet used."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from services.survey.rounds.domain.invitations import REMINDER
from services.survey.rounds.domain.lifecycle import transition
from services.survey.rounds.domain.tokens import new_token, token_hash
from services.survey.rounds.invitations import invite
from services.survey.rounds.models import Ballot, Round
from shared.context import Context


def remind_due(ctx: Context) -> dict[int, int]:
    """One reminder per unused ballot of rounds closing within ``reminder_hours``.

    Invitation tokens are not kept (only their hashes), so a reminder carries a fresh token for the
    same ballot: its hash is stored beside the first one and either opens the ballot, which still
    takes one submission.  Reminder hashes are dropped at close.
    """
    session, now = ctx.session, ctx.now()
    sent: dict[int, int] = {}
    for round_ in session.scalars(select(Round).where(Round.state == "open", Round.reminded_at.is_(None))).all():
        if now < round_.closes_at - timedelta(hours=round_.settings["reminder_hours"]):
            continue
        round_.state = transition(round_.state, "remind")
        round_.reminded_at = now
        unused = session.execute(select(Ballot.id, Ballot.person_id).where(
            Ballot.round_id == round_.id, Ballot.used.is_(False)).order_by(Ballot.id)).all()
        tokens = [new_token() for _ in unused]
        if unused:
            session.execute(update(Ballot), [{"id": b.id, "reminder_hash": token_hash(t)}
                                             for b, t in zip(unused, tokens, strict=True)])
        holders = [(b.person_id, t) for b, t in zip(unused, tokens, strict=True)]
        invite(ctx, round_, holders, REMINDER, "reminder")
        sent[round_.id] = len(holders)
    return sent
