"""factory_boy factories for notify's tests: directory people, messages to notify, notification rows."""

from __future__ import annotations

from datetime import UTC, datetime

import factory
from factory.alchemy import SQLAlchemyModelFactory

from services.notify.models import Notification
from shared.messages import PersonRecord, Recipients, SendNotification

BRANCH_A = 3


class PersonFactory(factory.Factory):
    """A person of the directory projection (``PersonRecord``): a party member of branch A with an address."""

    class Meta:
        model = PersonRecord

    id = factory.Sequence(lambda n: n + 1)
    employee_no = factory.LazyAttribute(lambda p: f"E{p.id}")
    name = factory.LazyAttribute(lambda p: f"党员{p.id}")
    org_id = BRANCH_A
    party_member = True
    joined_party_on = None
    roles = factory.LazyFunction(list)
    email = factory.LazyAttribute(lambda p: f"p{p.id}@hzsteel.example")


class SendNotificationFactory(factory.Factory):
    """What another service sends to ``notify.send``."""

    class Meta:
        model = SendNotification

    key = factory.Sequence(lambda n: f"test:{n}")
    category = "general"
    subject = "支部学习通知"
    recipients = factory.LazyFunction(lambda: Recipients(org_id=BRANCH_A))
    channels = factory.LazyFunction(lambda: ["inbox"])


class NotificationFactory(SQLAlchemyModelFactory):
    """A notification row; bind a session first: ``NotificationFactory._meta.sqlalchemy_session = s``."""

    class Meta:
        model = Notification
        sqlalchemy_session_persistence = "flush"

    key = factory.Sequence(lambda n: f"row:{n}")
    category = "general"
    subject = "支部学习通知"
    body = ""
    link = None
    recipients = factory.LazyFunction(lambda: {"person_ids": [], "org_id": BRANCH_A, "subtree": True,
                                               "party_members_only": False})
    channels = factory.LazyFunction(lambda: ["inbox"])
    source = "test"
    state = "queued"
    created_at = factory.LazyFunction(lambda: datetime.now(UTC))
    updated_at = factory.LazyAttribute(lambda n: n.created_at)
