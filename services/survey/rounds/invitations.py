"""Invitations and reminders to the holders of a round's ballots, each with their own link, via notify."""

from __future__ import annotations

from collections.abc import Iterator

from services.survey.rounds.domain.invitations import local_time, wording
from services.survey.rounds.models import Round
from shared.context import Context
from shared.messages import PersonalItem, SendNotification
from shared.settings import Settings


def ballot_link(settings: Settings, token: str) -> str:
    return f"{settings.service('survey').url}/b/{token}"


def _chunks(items: list, size: int) -> Iterator[tuple[int, list]]:
    for number, start in enumerate(range(0, len(items), size)):
        yield number, items[start:start + size]


def invite(ctx: Context, round_: Round, holders: list[tuple[int, str]], category: str, tag: str) -> int:
    """One ``SendNotification`` per chunk of holders (``(person id, token)``); returns how many messages."""
    subject, body = wording(category, round_.title, local_time(round_.closes_at, ctx.settings.zone))
    count = 0
    for number, chunk in _chunks(holders, round_.settings["invite_chunk"]):
        items = [PersonalItem(person_id=pid, link=ballot_link(ctx.settings, tok)) for pid, tok in chunk]
        ctx.publish(SendNotification(
            key=f"survey:round:{round_.id}:{tag}:{number}", category=category, subject=subject, body=body,
            items=items, source="survey", private=True,  # a ballot link works for its rater alone
        ))
        count += 1
    return count
