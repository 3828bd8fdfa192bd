"""How far a round has come: ballots issued and used, per org and as the service's gauges."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.survey.directory.models import directory
from services.survey.rounds.access import view_scope
from services.survey.rounds.models import Ballot, Round
from services.survey.rounds.reading import get_round, used_count
from shared.metrics import Sample
from shared.principal import Principal


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


def gauges(session: Session) -> list[Sample]:
    """Rounds per kind and state; issued/used ballots and response rate of each open round."""
    samples = [Sample("survey_rounds", n, {"kind": kind, "state": state}, "rounds by kind and state")
               for kind, state, n in session.execute(
                   select(Round.kind, Round.state, func.count()).group_by(Round.kind, Round.state))]
    for round_id, issued, used in session.execute(
            select(Ballot.round_id, func.count(), used_count()).join(Round, Round.id == Ballot.round_id)
            .where(Round.state == "open").group_by(Ballot.round_id)):
        labels, used = {"round_id": str(round_id)}, used or 0
        samples += [Sample("survey_ballots_issued", issued, labels), Sample("survey_ballots_used", used, labels),
                    Sample("survey_response_rate", used / issued if issued else 0.0, labels)]
    return samples
