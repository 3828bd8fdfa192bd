"""Digest rules on plain data: which period is due on a day, one key per person and period, the text."""

from datetime import date

from services.notify.notifications.domain.digest import MAX_LISTED, Held, due, key, render
from services.notify.preferences.domain.policy import Preferences, held_for_digest

MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


def test_daily_every_morning_weekly_on_mondays_and_off_flushes_what_is_left():
    assert (due("daily", TUESDAY), due("weekly", TUESDAY), due("weekly", MONDAY)) == ("daily", None, "weekly")
    assert due("off", TUESDAY) == "daily"


def test_one_key_per_person_and_period():
    assert key("weekly", MONDAY, 7) == "digest:weekly:2026-12-07:7" != key("daily", MONDAY, 7)


def test_the_text_lists_each_item_with_its_link():
    subject, body = render("daily", [Held("回头看", "https://p.example/l/1"), Held("学习通知", None)])
    assert subject == "今日通知摘要（2 条）"
    assert body == "1. 回头看\n   https://p.example/l/1\n2. 学习通知"
    subject, body = render("weekly", [Held(f"通知{i}", None) for i in range(MAX_LISTED + 5)])
    assert subject == f"本周通知摘要（{MAX_LISTED + 5} 条）" and body.endswith("另有 5 条，请在站内信中查看。")


def test_what_is_held():
    prefs = Preferences(digest="weekly", digest_categories=frozenset({"general", "digest"}))
    assert held_for_digest("general", prefs, set()) is True
    assert held_for_digest("lookback", prefs, set()) is False  # not a digest category
    assert held_for_digest("general", prefs, {"general"}) is False  # mandatory: never held
    assert held_for_digest("digest", prefs, set()) is False
    assert held_for_digest("general", Preferences(digest_categories=frozenset({"general"})), set()) is False
