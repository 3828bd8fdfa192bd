"""Every Celery message that crosses a service boundary, declared once.

A message names the task(s) that consume it (``<queue>.<name>``); producers write it to their
outbox (:func:`shared.outbox.publish`), the relay sends it with ``send_task`` by name, and the
consumer rebuilds it with ``from_payload``.  Payloads are plain JSON: ids are ints, dates ISO 8601.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

M = TypeVar("M", bound="Message")


class MessageError(ValueError):
    """A payload does not match its message schema."""


@dataclass(frozen=True)
class Message:
    tasks: ClassVar[tuple[str, ...]] = ()

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls: type[M], payload: dict[str, Any]) -> M:
        return _build(cls, payload)


def _build(cls, data):
    if not isinstance(data, dict):
        raise MessageError(f"{cls.__name__}: expected an object")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise MessageError(f"{cls.__name__}: unknown fields {sorted(unknown)}")
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _convert(hints[f.name], data[f.name], f"{cls.__name__}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise MessageError(f"{cls.__name__}: missing field {f.name}")
    return cls(**values)


def _convert(hint, value, where):
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, where)
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            raise MessageError(f"{where}: expected a list")
        if args and args[0] in (int, str, bool) and all(isinstance(v, args[0]) for v in value):
            return type(value)(value)  # a chunk's thousand person ids: checked in one pass
        return type(value)(_convert(args[0], v, where) for v in value) if args else list(value)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)
    if hint in (int, str, bool, float) and not isinstance(value, hint):
        if hint is float and isinstance(value, int):
            return float(value)
        raise MessageError(f"{where}: expected {hint.__name__}")
    return value


# ---- directory (pledge owns it; survey and notify keep projections) -------------------------

@dataclass(frozen=True)
class OrgRecord:
    id: int
    code: str
    name: str
    kind: str  # committee | branch
    parent_id: int | None
    path: str  # materialised path of ids, e.g. "/1/5/9/"
    active: bool = True


@dataclass(frozen=True)
class PersonRecord:
    id: int
    employee_no: str
    name: str
    org_id: int
    party_member: bool
    joined_party_on: str | None = None  # ISO date
    roles: list[str] = field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    active: bool = True


@dataclass(frozen=True)
class DirectoryChanged(Message):
    """Upserts (and deactivations, ``active: false``) of orgs and people; ``snapshot`` marks a resync."""

    tasks: ClassVar[tuple[str, ...]] = ("survey.directory_changed", "notify.directory_changed")
    orgs: list[OrgRecord] = field(default_factory=list)
    people: list[PersonRecord] = field(default_factory=list)
    snapshot: bool = False


@dataclass(frozen=True)
class PeopleChanged(Message):
    """A ``DirectoryChanged`` of people, carried as ready payload dicts (``PersonRecord``'s shape): the
    consumers read it with ``DirectoryChanged.from_payload``; building 1,000 frozen records and deep-copying
    them with ``dataclasses.asdict`` once per consuming task would cost more than the upsert itself."""

    tasks: ClassVar[tuple[str, ...]] = DirectoryChanged.tasks
    people: list[dict] = field(default_factory=list)

    def to_payload(self) -> dict[str, Any]:
        return {"orgs": [], "people": self.people, "snapshot": False}


# ---- pledges (pledge → survey, for 评诺 rounds) ---------------------------------------------

@dataclass(frozen=True)
class PledgeRecord:
    id: int
    title: str
    pledger_type: str  # org | person
    pledger_id: int
    org_id: int
    state: str
    version: int


@dataclass(frozen=True)
class PledgesChanged(Message):
    tasks: ClassVar[tuple[str, ...]] = ("survey.pledges_changed",)
    pledges: list[PledgeRecord] = field(default_factory=list)
    snapshot: bool = False


# ---- evaluation scores (survey → pledge, when a 评诺 round has results) ---------------------

@dataclass(frozen=True)
class PledgeScore:
    pledge_id: int
    score: float | None
    grade: str | None
    n: int
    suppressed: bool = False


@dataclass(frozen=True)
class PledgeScoresReady(Message):
    tasks: ClassVar[tuple[str, ...]] = ("pledge.evaluation_scores",)
    round_id: int
    scores: list[PledgeScore] = field(default_factory=list)


# ---- 三服务 service targets (pledge → survey, shown on three_way ballots) ----------------------

@dataclass(frozen=True)
class ServiceTargetRecord:
    """A service target (三服务) as set downward: a committee for its branches, a branch for its
    members, a member for the employees of their branch; ``version`` grows with each revision."""

    id: int
    provider_type: str  # org | person
    provider_id: int
    org_id: int  # the provider's org (an org provider: itself; a person: their org)
    period_kind: str  # year | quarter | month
    period_start: str  # ISO date
    period_end: str  # ISO date, inclusive
    title: str
    content: str
    beneficiaries: str  # branches | members | employees
    version: int = 1
    active: bool = True  # false: withdrawn


@dataclass(frozen=True)
class ServiceTargetsChanged(Message):
    tasks: ClassVar[tuple[str, ...]] = ("survey.service_targets_changed",)
    targets: list[ServiceTargetRecord] = field(default_factory=list)
    snapshot: bool = False


# ---- 四好 scorecard facts (pledge → survey, which owns the evaluation) ------------------------

@dataclass(frozen=True)
class OrgYearFacts:
    """What pledge knows of one committee or branch in one year, as plain sums and counts (the
    scorecard decides how they score).  Pledges are the org's own and its members' pledges of the
    year that reached ``published``; inspections, comments, demo sites and contact points are those
    of the org itself."""

    org_id: int
    year: int
    pledges: int = 0
    completion_sum: float = 0.0  # Σ completion (0–100) over those pledges
    closed: int = 0
    fulfilled: int = 0
    partly: int = 0
    unfulfilled: int = 0
    inspections: int = 0
    rating_sum: int = 0  # Σ inspection rating (1–5)
    comment_quarters: int = 0  # quarters of the year with a quarterly comment (每季点评)
    quarters_due: int = 0  # quarters of the year begun by ``as_of``
    site_evaluations: int = 0  # monthly management evaluations of the org's demo sites
    site_overall_sum: float = 0.0  # Σ overall (0–100) of those evaluations
    contact_points: int = 0  # leaders' contact points at the org
    contact_points_visited: int = 0  # of which visited at least once in the year
    contact_visits: int = 0


@dataclass(frozen=True)
class ScorecardFactsChanged(Message):
    """The year's facts of every committee and branch as of a date (``snapshot``: every org is in it)."""

    tasks: ClassVar[tuple[str, ...]] = ("survey.scorecard_facts",)
    year: int
    as_of: str  # ISO date
    facts: list[OrgYearFacts] = field(default_factory=list)
    snapshot: bool = True


# ---- notifications (anyone → notify) ---------------------------------------------------------

CATEGORIES = (
    "pledge_review", "pledge_due", "lookback", "survey_invite", "survey_reminder",
    "political_birthday", "results", "general",
    # v1.1
    "coverage", "digest", "zone_check", "post_ending",
)
CHANNELS = ("inbox", "email", "webhook")


@dataclass(frozen=True)
class Recipients:
    person_ids: list[int] = field(default_factory=list)
    org_id: int | None = None
    subtree: bool = True
    party_members_only: bool = False


@dataclass(frozen=True)
class PersonalItem:
    """One recipient's own version (e.g. a survey invitation with its ballot link)."""

    person_id: int
    subject: str | None = None
    body: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class SendNotification(Message):
    """``key`` makes the send idempotent: the same key is one notification, however often sent."""

    tasks: ClassVar[tuple[str, ...]] = ("notify.send",)
    key: str
    category: str
    subject: str
    body: str = ""
    link: str | None = None
    recipients: Recipients = field(default_factory=Recipients)
    items: list[PersonalItem] = field(default_factory=list)
    channels: list[str] = field(default_factory=lambda: ["inbox"])
    source: str = ""  # the sending service, for the ledger
    # private: the link and body (each item's too) are for the recipient alone — every other reader
    # (admins, org admins, system callers, the sender, dead letters, logs) sees them redacted
    private: bool = False

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise MessageError(f"SendNotification.category: unknown {self.category!r}")
        bad = [c for c in self.channels if c not in CHANNELS]
        if bad:
            raise MessageError(f"SendNotification.channels: unknown {bad}")


ALL_MESSAGES: tuple[type[Message], ...] = (
    DirectoryChanged, PledgesChanged, PledgeScoresReady, SendNotification, ServiceTargetsChanged,
    ScorecardFactsChanged,
)


def consumers_of(queue: str) -> dict[str, type[Message]]:
    """Task name → message class, for the tasks a service's queue must implement."""
    return {t: m for m in ALL_MESSAGES for t in m.tasks if t.startswith(queue + ".")}
