"""What a use case talks to, passed in as one argument: the session, the message sender, settings, the clock.

A route gets its :class:`Context` from the transaction decorator of ``shared.web.blueprint``, a task
from ``service.unit_of_work()``, a unit test builds one by hand with fakes::

    ctx = Context(session, publish=sent.append, settings=settings, clock=lambda: NOON)

Use cases take ``ctx`` (or only the session when that is all they need) and never reach for a
module-global service object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from shared.db import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from shared.messages import Message
    from shared.settings import Settings


def _read_only(_message: Message) -> list[str]:
    raise RuntimeError("a read-only unit of work cannot publish messages")


@dataclass(frozen=True)
class Context:
    session: Session
    settings: Settings
    # writes a cross-service message into this transaction's outbox; relayed after the commit
    publish: Callable[[Message], Any] = field(default=_read_only)
    clock: Callable[[], datetime] = field(default=utcnow)

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return self.clock()

    def today(self) -> date:
        """Today's date in the campaign's time zone (``XIANFENG_TIME_ZONE``)."""
        return self.clock().astimezone(self.settings.zone).date()
