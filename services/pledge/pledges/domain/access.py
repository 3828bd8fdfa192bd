"""Who may do what with a pledge (plain functions on plain data, tested as a matrix).

The pledger (the person themself, or an admin of the pledger's org) drafts, edits, submits, reports
progress, revises, withdraws; the reviewer org (a person's branch, an org's parent) — its admins and its
secretaries — reviews, closes and marks exemplars; either side publishes; admins do everything.
Members see their own pledges and published ones; org admins see their subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.pledge.pledges.domain.lifecycle import PLEDGER_ACTIONS, REVIEWER_ACTIONS
from shared.principal import Principal


@dataclass(frozen=True)
class Parties:
    pledger_type: str  # org | person
    pledger_id: int
    org_lineage: tuple[int, ...]  # the pledger's org and its ancestors
    reviewer_lineage: tuple[int, ...]  # the reviewer org and its ancestors (empty: only admins review)
    reviewer_secretaries: frozenset[int] = frozenset()
    published: bool = False


def is_pledger(principal: Principal, parties: Parties) -> bool:
    if parties.pledger_type == "person" and principal.person_id == parties.pledger_id:
        return True
    return principal.administers(parties.org_lineage)


def is_reviewer(principal: Principal, parties: Parties) -> bool:
    if principal.is_admin:
        return True
    if principal.person_id is not None and principal.person_id in parties.reviewer_secretaries:
        return principal.person_id != (parties.pledger_id if parties.pledger_type == "person" else None)
    return bool(parties.reviewer_lineage) and principal.administers(parties.reviewer_lineage)


def may(principal: Principal, action: str, parties: Parties) -> bool:
    if principal.is_admin:
        return True
    if action in PLEDGER_ACTIONS and is_pledger(principal, parties):
        return True
    return action in REVIEWER_ACTIONS and is_reviewer(principal, parties)


def may_create(principal: Principal, parties: Parties) -> bool:
    return principal.is_admin or is_pledger(principal, parties)


def may_view(principal: Principal, parties: Parties) -> bool:
    if principal.is_admin or principal.is_system or parties.published:
        return True
    return is_pledger(principal, parties) or is_reviewer(principal, parties)


def actor_of(principal: Principal) -> str:
    """Who a line of history names: ``admin:<sub>``, ``member:<person>``, ``org_admin:<org>`` or ``system``."""
    if principal.is_admin:
        return f"admin:{principal.sub}" if principal.sub else "admin"
    if principal.person_id is not None:
        return f"member:{principal.person_id}"
    if "org_admin" in principal.roles:
        return f"org_admin:{principal.org}"
    return "system"
