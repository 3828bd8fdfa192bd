"""Political birthdays: 29 February, secretaries' lists, once per person per year."""

from datetime import date

from sqlalchemy import select

from services.notify.birthdays.greetings import political_birthdays
from services.notify.models import InboxMessage, Notification
from shared.context import Context

from ...support import BRANCH_A, BRANCH_B, load_directory, person


def _directory(notify, *changes):
    people = {
        1: person(1, BRANCH_A, joined=date(2000, 2, 29)),
        2: person(2, BRANCH_A, joined=date(2001, 2, 28)),
        3: person(3, BRANCH_A, joined=date(2010, 3, 1)),
        4: person(4, BRANCH_A, joined=date(1990, 5, 5), roles=("secretary",)),
        5: person(5, BRANCH_A, party=False, joined=date(2000, 2, 28)),
        6: person(6, BRANCH_B, joined=date(1980, 2, 29)),
        7: person(7, BRANCH_B, joined=date(1985, 6, 1), roles=("书记",)),
        8: person(8, BRANCH_B, joined=date(2023, 2, 28)),
    }
    people.update({p.id: p for p in changes})
    load_directory(notify, list(people.values()))


def _inbox(notify):
    with notify.db.session() as s:
        return s.execute(select(InboxMessage.person_id, InboxMessage.subject, InboxMessage.body)
                         .order_by(InboxMessage.person_id)).all()


def test_a_common_year_greets_29_february_on_the_28th_once_however_many_runs(notify, pump):
    _directory(notify)
    first = notify.daily(date(2023, 2, 28))["political_birthdays"]
    assert first == {"celebrants": 3, "greetings_sent": 3, "secretary_lists_sent": 2}
    again = notify.daily(date(2023, 2, 28))["political_birthdays"]
    notify.celery.tasks["notify.political_birthdays"](day="2023-02-28")
    assert again == {"celebrants": 3, "greetings_sent": 0, "secretary_lists_sent": 0}
    pump.run(twice=True)
    inbox = _inbox(notify)
    assert [(pid, subject) for pid, subject, _ in inbox] == [
        (1, "政治生日快乐：入党 23 周年"), (2, "政治生日快乐：入党 22 周年"),
        (4, "今日政治生日：2 名党员"), (6, "政治生日快乐：入党 43 周年"), (7, "今日政治生日：1 名党员")]
    secretary_a = inbox[2][2]
    assert "党员1（入党 23 周年）" in secretary_a and "党员2（入党 22 周年）" in secretary_a
    # a corrected joining date later in the year does not greet the same person twice that year
    _directory(notify, person(2, BRANCH_A, joined=date(2001, 3, 1)))
    later = notify.daily(date(2023, 3, 1))["political_birthdays"]
    assert (later["celebrants"], later["greetings_sent"]) == (2, 1)  # persons 2 and 3; only 3 is new


def test_a_leap_year_greets_29_february_on_the_29th(notify, pump):
    _directory(notify)
    assert notify.daily(date(2024, 2, 28))["political_birthdays"]["celebrants"] == 2  # persons 2 and 8
    assert notify.daily(date(2024, 2, 29))["political_birthdays"]["celebrants"] == 2  # persons 1 and 6
    pump.run()
    subjects = {pid: subject for pid, subject, _ in _inbox(notify)}
    assert subjects[1] == "政治生日快乐：入党 24 周年" and subjects[2] == "政治生日快乐：入党 23 周年"
    assert subjects[6] == "政治生日快乐：入党 44 周年" and 3 not in subjects
    assert subjects[8] == "政治生日快乐：入党 1 周年"
    with notify.db.session() as s:
        keys = set(s.execute(select(Notification.key)).scalars())
    assert {"political_birthday:2024:1", "political_birthday:2024:2", "political_birthday:2024:6"} <= keys


def test_the_greeting_run_with_a_fake_publish_asks_once_per_greeting_and_list(notify):
    _directory(notify)
    published = []
    with notify.db.session() as s:
        ctx = Context(s, notify.runtime.settings, published.append)
        assert political_birthdays(ctx, date(2024, 2, 29)) == {
            "celebrants": 2, "greetings_sent": 2, "secretary_lists_sent": 2}  # persons 1 and 6; A's and B's secretary
        assert political_birthdays(ctx, date(2024, 2, 29))["greetings_sent"] == 0
        keys = s.execute(select(Notification.key).order_by(Notification.id)).scalars().all()
    assert keys == ["political_birthday:2024:1", "political_birthday:2024:6",
                    "political_birthday_list:2024-02-29:4", "political_birthday_list:2024-02-29:7"]
    assert [type(m).__name__ for m in published] == ["ResolveNotification"] * 4
