"""One vocabulary of the roles people hold in their org (职务), for every service and the import.

The directory stores the English key; every endpoint and the import accept the key or the Chinese
title (and a few common variants such as 支部书记) and store the key.  Survey's eligibility, notify's
recipients and pledge's reviewers all read roles through this table.  Plain Python: domain code
may use it.

Committee roles are every role of an org's own committee (支部委员会 / 党委班子): the secretary, the
deputy secretaries and every member of the committee whatever their portfolio.  A person holding
one of them *is* the committee of their org (三凝聚 raters, the self part of the org's own pledge,
the leadership team of the 好搭档/好助手 evaluation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str
    title: str  # the Chinese title people write
    committee: bool  # one of the org's own committee
    aliases: tuple[str, ...] = ()


ROLES: tuple[Role, ...] = (
    Role("secretary", "书记", True, ("支部书记", "党委书记", "总支书记", "党支部书记")),
    Role("deputy_secretary", "副书记", True, ("支部副书记", "党委副书记", "总支副书记")),
    Role("organizer", "组织委员", True),
    Role("propaganda", "宣传委员", True),
    Role("discipline", "纪检委员", True, ("纪律检查委员",)),
    Role("committee_member", "委员", True, ("支委", "支部委员", "党委委员")),
    Role("youth", "青年委员", True),
    Role("worker", "工会委员", True),
    Role("women", "妇女委员", True),
    Role("volunteer", "志愿者", False, ("党员志愿者",)),
    Role("safety_volunteer", "安全监护志愿者", False, ("党员安全监护志愿者",)),
    Role("group_leader", "党小组长", False, ("小组长",)),
)

KEYS: tuple[str, ...] = tuple(r.key for r in ROLES)
BY_KEY: dict[str, Role] = {r.key: r for r in ROLES}
COMMITTEE_ROLES: frozenset[str] = frozenset(r.key for r in ROLES if r.committee)
SECRETARY = "secretary"
LEADERS: frozenset[str] = frozenset({"secretary", "deputy_secretary"})

_BY_NAME: dict[str, str] = {}
for _role in ROLES:
    for _name in (_role.key, _role.title, *_role.aliases):
        _BY_NAME[_name.casefold()] = _role.key

SEPARATORS = re.compile(r"[,，;；、/\s]+")


class UnknownRole(ValueError):
    """A role name that is neither a key nor a known title."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


def role_key(name: str) -> str | None:
    """The key of a role given by key or Chinese title (``书记`` → ``secretary``), else ``None``."""
    return _BY_NAME.get(name.strip().casefold())


def normalise(names: Iterable[str] | str) -> list[str]:
    """Keys for the given roles (a list, or one text separated by commas, 、, ; or spaces), in the
    vocabulary's order, without duplicates; :class:`UnknownRole` names every unknown one."""
    parts = SEPARATORS.split(names) if isinstance(names, str) else [str(n) for n in names]
    parts = [p.strip() for p in parts if p and p.strip()]
    unknown = [p for p in parts if role_key(p) is None]
    if unknown:
        raise UnknownRole(unknown)
    keys = {role_key(p) for p in parts}
    return [k for k in KEYS if k in keys]


def keys_of(stored: Iterable[str] | None) -> frozenset[str]:
    """The keys of roles as stored (tolerates titles left by older data: ``书记`` counts as secretary)."""
    return frozenset(k for k in (role_key(str(r)) for r in stored or ()) if k is not None)


def is_committee(stored: Iterable[str] | None) -> bool:
    """True when one of the roles is a committee role of the person's org."""
    return bool(keys_of(stored) & COMMITTEE_ROLES)


def is_secretary(stored: Iterable[str] | None) -> bool:
    return SECRETARY in keys_of(stored)


def title(key: str) -> str:
    """The Chinese title of a role key (the key itself when unknown)."""
    role = BY_KEY.get(key)
    return role.title if role else key
