"""What an invitation and a reminder say: the round's title and its closing time in the campaign's zone."""

from __future__ import annotations

from datetime import datetime, tzinfo

INVITE, REMINDER = "survey_invite", "survey_reminder"


def local_time(at: datetime, zone: tzinfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def wording(category: str, title: str, closes: str) -> tuple[str, str]:
    """Subject and body of an invitation (``survey_invite``) or a reminder (``survey_reminder``)."""
    if category == INVITE:
        return (f"请参加测评：{title}",
                f"请于 {closes} 前完成。链接仅限本人使用一次；答卷不与任何人关联。")
    return (f"测评即将截止：{title}",
            f"您的选票尚未使用，测评将于 {closes} 截止。链接仅限本人使用一次。")
