"""When a round's results are ready: scores back to the pledge service (评诺) and a ``results``
notification to the secretaries of the round's orgs, both through the outbox.

Each secretary's link opens ``/results/{round}`` in a browser with no header: it carries a signed grant
(``shared.links``, purpose ``results``) for that round and the secretary's own org and its subtree, valid
for ``RESULTS_LINK_TTL``.  The message is private: only the recipient reads the link in their inbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.survey.directory.lookups import holders_of
from services.survey.directory.models import directory
from services.survey.results.models import Result
from services.survey.rounds.domain.rules import SECRETARY_ROLES
from services.survey.rounds.models import Round, RoundTarget
from shared import links
from shared.context import Context
from shared.messages import PersonalItem, PledgeScore, PledgeScoresReady, SendNotification
from shared.settings import Settings

RESULTS_LINK_TTL = 30 * 24 * 3600  # a month to open the results from the notification
CHUNK = 500  # recipients per notification message


def pledge_scores(session: Session, round_: Round) -> list[PledgeScore]:
    rows = session.execute(
        select(RoundTarget.target_id, Result.score, Result.grade, Result.n, Result.suppressed)
        .join(Result, Result.target_ref == RoundTarget.id)
        .where(Result.round_id == round_.id, RoundTarget.target_type == "pledge").order_by(RoundTarget.target_id)
    ).all()
    return [PledgeScore(pledge_id=pid, score=None if hidden else round(score, 1), grade=None if hidden else grade,
                        n=n, suppressed=hidden) for pid, score, grade, n, hidden in rows]


def secretaries(session: Session, root_path: str) -> list[tuple[int, int]]:
    """(person id, org id) of the active secretaries of a subtree, by person id (who is a secretary: the
    directory lookup ``holders_of``, the one reading of stored roles)."""
    ids = holders_of(session, root_path, SECRETARY_ROLES)
    if not ids:
        return []
    p = directory.people
    orgs = dict(session.execute(select(p.c.id, p.c.org_id).where(p.c.id.in_(ids))).all())
    return [(pid, orgs[pid]) for pid in ids]


def results_link(settings: Settings, round_id: int, person_id: int, org_id: int) -> str:
    """The results page of the round for one recipient: their org and its subtree, signed, expiring."""
    return links.signed_url(settings, "survey", f"/results/{round_id}", "results",
                            {"round": round_id, "org": org_id, "sub": person_id}, ttl=RESULTS_LINK_TTL)


def publish_results(ctx: Context, round_: Round) -> None:
    if round_.kind == "pledge_evaluation":
        ctx.publish(PledgeScoresReady(round_id=round_.id, scores=pledge_scores(ctx.session, round_)))
    people = secretaries(ctx.session, round_.root_path)
    for number, start in enumerate(range(0, len(people), CHUNK)):
        items = [PersonalItem(person_id=pid, link=results_link(ctx.settings, round_.id, pid, org))
                 for pid, org in people[start:start + CHUNK]]
        ctx.publish(SendNotification(
            key=f"survey:round:{round_.id}:results:{number}", category="results",
            subject=f"测评结果已生成：{round_.title}", body="本轮测评已完成统计，可查看本组织及下级的结果。",
            items=items, source="survey", private=True,
        ))
