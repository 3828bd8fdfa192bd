"""When a round's results are ready: scores back to the pledge service (评诺) and a ``results``
notification to the secretaries of the round's orgs, both through the outbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.survey.app import service
from services.survey.directory.models import directory
from services.survey.results.models import Result
from services.survey.rounds.domain.rules import SECRETARY_ROLES
from services.survey.rounds.models import Round, RoundTarget
from shared.messages import PledgeScore, PledgeScoresReady, Recipients, SendNotification


def pledge_scores(session: Session, round_: Round) -> list[PledgeScore]:
    rows = session.execute(
        select(RoundTarget.target_id, Result.score, Result.grade, Result.n, Result.suppressed)
        .join(Result, Result.target_ref == RoundTarget.id)
        .where(Result.round_id == round_.id, RoundTarget.target_type == "pledge").order_by(RoundTarget.target_id)
    ).all()
    return [PledgeScore(pledge_id=pid, score=None if hidden else round(score, 1), grade=None if hidden else grade,
                        n=n, suppressed=hidden) for pid, score, grade, n, hidden in rows]


def secretaries(session: Session, root_path: str) -> list[int]:
    p = directory.people
    rows = session.execute(select(p.c.id, p.c.roles).where(p.c.org_path.startswith(root_path),
                                                           p.c.active.is_(True))).all()
    return sorted(pid for pid, roles in rows if set(roles or ()) & SECRETARY_ROLES)


def publish_results(session: Session, round_: Round) -> None:
    if round_.kind == "pledge_evaluation":
        service.publish(session, PledgeScoresReady(round_id=round_.id, scores=pledge_scores(session, round_)))
    people = secretaries(session, round_.root_path)
    if people:
        url = service.runtime.settings.service("survey").url
        service.publish(session, SendNotification(
            key=f"survey:round:{round_.id}:results", category="results", subject=f"测评结果已生成：{round_.title}",
            body="本轮测评已完成统计，可查看本组织及下级的结果。", link=f"{url}/results/{round_.id}",
            recipients=Recipients(person_ids=people), source="survey",
        ))
