"""Invitations and reminders written by the use case with a hand-built Context: no database, no broker.

``publish`` is a plain list's ``append``; the settings give the survey's URL and the campaign's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.survey.models import Round
from services.survey.rounds.domain.invitations import INVITE, REMINDER
from services.survey.rounds.domain.rules import round_settings
from services.survey.rounds.invitations import invite
from shared.context import Context
from shared.messages import SendNotification
from shared.settings import load

CLOSES = datetime(2026, 6, 30, 16, 0, tzinfo=UTC)


def _context(sent: list, **environ: str) -> Context:
    settings = load({"XIANFENG_SURVEY_URL": "https://survey.example/", **environ})
    return Context(session=None, settings=settings, publish=sent.append)


def _round(**settings) -> Round:
    return Round(id=7, kind="three_way", title="2026 年度三测评", root_org_id=1, root_path="/1/", closes_at=CLOSES,
                 state="open", settings=round_settings(settings))


def test_one_message_per_chunk_of_holders_each_with_their_own_link():
    sent: list[SendNotification] = []
    holders = [(100 + i, f"token-{i}") for i in range(5)]
    assert invite(_context(sent), _round(invite_chunk=2), holders, INVITE, "invite") == 3
    assert [m.key for m in sent] == ["survey:round:7:invite:0", "survey:round:7:invite:1", "survey:round:7:invite:2"]
    assert [len(m.items) for m in sent] == [2, 2, 1]
    assert {i.person_id: i.link for m in sent for i in m.items} == {
        100 + i: f"https://survey.example/b/token-{i}" for i in range(5)}
    assert {(m.category, m.source) for m in sent} == {(INVITE, "survey")}
    assert sent[0].subject == "请参加测评：2026 年度三测评"


def test_the_closing_time_is_shown_in_the_campaign_time_zone():
    shanghai, utc = [], []
    invite(_context(shanghai), _round(), [(1, "t")], REMINDER, "reminder")  # default: Asia/Shanghai
    invite(_context(utc, XIANFENG_TIME_ZONE="UTC"), _round(), [(1, "t")], REMINDER, "reminder")
    assert "2026-07-01 00:00 截止" in shanghai[0].body and "2026-06-30 16:00 截止" in utc[0].body
    assert shanghai[0].subject == "测评即将截止：2026 年度三测评" and shanghai[0].key == "survey:round:7:reminder:0"


def test_nobody_to_invite_sends_nothing():
    sent: list = []
    assert invite(_context(sent), _round(), [], INVITE, "invite") == 0 and sent == []
