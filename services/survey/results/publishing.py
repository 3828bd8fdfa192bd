"""When a round's results are ready: scores back to the pledge service (评诺) and a ``results``
notification to the secretaries of the round's orgs, both through the outbox."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.survey.directory.lookups import holders_of
from services.survey.results.models import Result
from services.survey.rounds.domain.rules import SECRETARY_ROLES
from services.survey.rounds.models import Round, RoundTarget
from shared.context import Context
from shared.messages import PledgeScore, PledgeScoresReady, Recipients, SendNotification


def pledge_scores(session: Session, round_: Round) -> list[PledgeScore]:
    rows = session.execute(
        select(RoundTarget.target_id, Result.score, Result.grade, Result.n, Result.suppressed)
        .join(Result, Result.target_ref == RoundTarget.id)
        .where(Result.round_id == round_.id, RoundTarget.target_type == "pledge").order_by(RoundTarget.target_id)
    ).all()
    return [PledgeScore(pledge_id=pid, score=None if hidden else round(score, 1), grade=None if hidden else grade,
                        n=n, suppressed=hidden) for pid, score, grade, n, hidden in rows]


def publish_results(ctx: Context, round_: Round) -> None:
    if round_.kind == "pledge_evaluation":
        ctx.publish(PledgeScoresReady(round_id=round_.id, scores=pledge_scores(ctx.session, round_)))
    people = holders_of(ctx.session, round_.root_path, SECRETARY_ROLES)
    if people:
        url = ctx.settings.service("survey").url
        ctx.publish(SendNotification(
            key=f"survey:round:{round_.id}:results", category="results", subject=f"测评结果已生成：{round_.title}",
            body="本轮测评已完成统计，可查看本组织及下级的结果。", link=f"{url}/results/{round_.id}",
            recipients=Recipients(person_ids=people), source="survey",
        ))
