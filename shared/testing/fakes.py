"""Hand-written fakes for tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SentMessage:
    task: str
    payload: dict
    message_id: str


@dataclass
class RecordingSender:
    """Stands in for the broker behind an outbox relay: records what would have been sent."""

    sent: list[SentMessage] = field(default_factory=list)
    fail: bool = False

    def __call__(self, task: str, payload: dict, message_id: str) -> None:
        if self.fail:
            raise ConnectionError("broker unavailable (fake)")
        self.sent.append(SentMessage(task, payload, message_id))

    def tasks(self) -> list[str]:
        return [m.task for m in self.sent]

    def of(self, task: str) -> list[dict]:
        return [m.payload for m in self.sent if m.task == task]

    def clear(self) -> None:
        self.sent.clear()
