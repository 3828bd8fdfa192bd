"""What a lifecycle move tells other services: ``PledgesChanged`` for survey, ``pledge_review`` for notify."""

from __future__ import annotations

from services.pledge.directory.lookups import secretaries
from services.pledge.pledges.linking import pledge_link
from services.pledge.pledges.models import Pledge, PledgeTransition
from shared.context import Context
from shared.messages import PersonalItem, PledgeRecord, PledgesChanged, SendNotification
from shared.settings import Settings

CHANGES_SURVEY_SEES = frozenset({"publish", "revise", "close", "withdraw", "approve"})
NEEDS_REVIEW = frozenset({"submit", "revise"})


def pledge_record(pledge: Pledge) -> PledgeRecord:
    return PledgeRecord(id=pledge.id, title=pledge.title, pledger_type=pledge.pledger_type,
                        pledger_id=pledge.pledger_id, org_id=pledge.org_id, state=pledge.state, version=pledge.version)


def review_request(settings: Settings, pledge: Pledge, transition: PledgeTransition,
                   reviewers: list[int]) -> SendNotification:
    """One message; each reviewer's own link opens the pledge page with the review form (private: a bearer link)."""
    kind = "修订后" if transition.action == "revise" else ""
    return SendNotification(
        key=f"pledge_review:{pledge.id}:{transition.id}", category="pledge_review",
        subject=f"待审核的{kind}承诺：{pledge.title}",
        body=f"{pledge.pledger_name} 提交了承诺「{pledge.title}」（第 {pledge.version} 版），请审核（审诺）。",
        items=[PersonalItem(person_id=p, link=pledge_link(settings, pledge.id, p)) for p in reviewers],
        source="pledge", private=True,
    )


def after_transition(ctx: Context, pledge: Pledge, action: str, transition: PledgeTransition) -> None:
    """Survey hears of the moves it sees (an approval only of a pledge already on the ledger: a look-back
    revision); the reviewer org's secretaries are asked to review a submitted or revised pledge."""
    if action in CHANGES_SURVEY_SEES and (action != "approve" or pledge.on_ledger):
        ctx.publish(PledgesChanged(pledges=[pledge_record(pledge)]))
    if action in NEEDS_REVIEW and pledge.reviewer_org_id is not None:
        reviewers = [p for p in secretaries(ctx.session, pledge.reviewer_org_id)
                     if not (pledge.pledger_type == "person" and p == pledge.pledger_id)]
        if reviewers:
            ctx.publish(review_request(ctx.settings, pledge, transition, reviewers))
