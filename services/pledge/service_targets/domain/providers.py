"""Who provides a service target (三服务) to whom, and who may set one (plain data).

- a committee (党委) serves its branches, a branch (党支部) its members, a party member the employees of
  their branch;
- a target is set by an admin, an org admin over the provider's org, a member of the provider org's own
  committee (any committee role: 书记, 副书记, 委员 …), or — a person's target — by that person.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVIDER_TYPES = ("org", "person")
BENEFICIARIES = ("branches", "members", "employees")
BENEFICIARY_LABELS = {"branches": "所属党支部", "members": "支部党员", "employees": "身边员工"}


def beneficiaries_of(provider_type: str, org_kind: str) -> str:
    """Whom a provider serves: a person the employees, a committee its branches, a branch its members."""
    if provider_type == "person":
        return "employees"
    return "branches" if org_kind == "committee" else "members"


@dataclass(frozen=True)
class Setter:
    """The caller, as the rule needs it: admin, the orgs it administers, the person and their committee seat."""

    admin: bool = False
    administers: bool = False  # an org admin whose org is the provider's org or above it
    person_id: int | None = None
    committee_of: int | None = None  # the org whose committee the caller sits on (None: none)


def may_set(setter: Setter, provider_type: str, provider_id: int, provider_org_id: int) -> bool:
    if setter.admin or setter.administers:
        return True
    if provider_type == "person":
        return setter.person_id == provider_id
    return setter.committee_of == provider_org_id
