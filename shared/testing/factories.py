"""Directory data for tests and benchmarks: a unit committee with branches of members and employees."""

from __future__ import annotations

from shared.messages import DirectoryChanged, OrgRecord, PersonRecord


def branch_group(branches: int = 20, members: int = 10, employees: int = 40) -> DirectoryChanged:
    """集团党委 (id 1) → 转炉厂党委 (id 2) → ``branches`` branches (ids 10…, codes ZL0…), each with
    ``members`` party members (the first one its secretary) and ``employees`` employees; person ids are
    ``branch_id * 1000 + n``."""
    orgs = [OrgRecord(1, "HG", "集团党委", "committee", None, "/1/"),
            OrgRecord(2, "ZL", "转炉厂党委", "committee", 1, "/1/2/")]
    people = []
    for b in range(branches):
        oid = 10 + b
        orgs.append(OrgRecord(oid, f"ZL{b}", f"炼钢{b}支部", "branch", 2, f"/1/2/{oid}/"))
        for n in range(members + employees):
            pid = oid * 1000 + n
            people.append(PersonRecord(pid, f"E{pid}", f"员工{pid}", oid, n < members,
                                       "2001-07-01" if n < members else None, ["secretary"] if n == 0 else []))
    return DirectoryChanged(orgs=orgs, people=people)
