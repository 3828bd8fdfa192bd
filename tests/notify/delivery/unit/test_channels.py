"""The channels behind their one interface, with fakes in place of SMTP and HTTP: who is reachable,
what goes out, one outcome per letter; and which adapters the settings choose."""

import dataclasses
from datetime import UTC, datetime

from services.notify.delivery.channels import from_settings
from services.notify.delivery.channels.email import DisabledEmail, EmailChannel, SmtpMailer
from services.notify.delivery.channels.interface import Letter, Target
from services.notify.delivery.channels.webhook import WebhookChannel
from services.notify.delivery.domain.outcomes import NO_ADDRESS, SENT, Outcome, permanent
from services.notify.directory.lookups import Contact

AT = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)
WANG = Contact(1, "王强", "E1", 3, (1, 2, 3), "wang@hzsteel.example")


def _letter(person=WANG, targets=(), **changes) -> Letter:
    letter = Letter(7, "results", 1, "三测评结果已发布", "请登录查看。", "http://intra/r/7", AT, person, targets)
    return dataclasses.replace(letter, **changes)


class RecordingMailer:
    def __init__(self) -> None:
        self.sent = []

    def send_batch(self, emails):
        self.sent += emails
        return [SENT for _ in emails]


class RecordingSender:
    def __init__(self, answers: dict[str, Outcome]) -> None:
        self.answers, self.calls = answers, []

    def send(self, target, msg_id, payload):
        self.calls.append((target.url, msg_id, payload))
        return self.answers[target.url]


def test_email_reaches_people_with_an_address_with_a_stable_message_id():
    mailer = RecordingMailer()
    channel = EmailChannel(mailer)
    nobody = _letter(person=dataclasses.replace(WANG, email=None), person_id=2)
    assert (channel.unreachable(_letter()), channel.unreachable(nobody)) == (None, "no_address")
    assert channel.send([_letter(), nobody]) == [SENT, NO_ADDRESS]
    (email,) = mailer.sent
    assert (email.to, email.message_id) == ("wang@hzsteel.example", "<n7.p1@xianfeng>")
    assert email.body == "请登录查看。\n\nhttp://intra/r/7"


def test_without_smtp_nobody_is_reachable_by_email():
    assert DisabledEmail().unreachable(_letter()) == "email_disabled"
    assert DisabledEmail().send([_letter()]) == [NO_ADDRESS]


def test_a_webhook_goes_to_every_endpoint_reaching_the_person_and_reports_the_first_failure():
    sender = RecordingSender({"https://a.example/h": SENT, "https://b.example/h": permanent("http 404")})
    channel = WebhookChannel(sender)
    targets = (Target("https://a.example/h", "whsec_a"), Target("https://b.example/h", "whsec_b"))
    assert channel.unreachable(_letter()) == "no_endpoint"
    assert channel.send([_letter(targets=targets), _letter()]) == [permanent("http 404"), NO_ADDRESS]
    assert [(url, msg_id) for url, msg_id, _ in sender.calls] == [
        ("https://a.example/h", "msg_n7_p1"), ("https://b.example/h", "msg_n7_p1")]
    payload = sender.calls[0][2]
    assert payload["type"] == "notification.results" and payload["timestamp"] == AT.isoformat()
    assert payload["data"]["person"] == {"id": 1, "name": "王强", "employee_no": "E1", "org_id": 3}


def test_the_settings_choose_the_adapters(settings):
    assert isinstance(from_settings(settings).email, DisabledEmail)
    with_smtp = from_settings(dataclasses.replace(settings, smtp_host="mail.hzsteel.example"))
    assert isinstance(with_smtp.email, EmailChannel) and isinstance(with_smtp.email.mailer, SmtpMailer)
    assert with_smtp.webhook.sender.allow == settings.webhook_allow
    assert [c.in_transaction for c in with_smtp.on(session=None).values()] == [True, False, False]
