"""Notify's recipients read roles through the one vocabulary (shared.roles): a secretary is a secretary
whether the directory carries the key, the title or a common variant of it."""

from __future__ import annotations

from services.notify.directory.lookups import secretaries

from ...support import BRANCH_A, BRANCH_B, load_directory, person


def test_secretaries_by_key_title_or_variant_and_nobody_else(notify):
    load_directory(notify, [
        person(1, BRANCH_A, roles=("secretary",)), person(2, BRANCH_A, roles=("支部书记",)),
        person(3, BRANCH_A, roles=("deputy_secretary", "organizer")), person(4, BRANCH_B, roles=("党委书记",)),
        person(5, BRANCH_B, roles=("副书记",)), person(6, BRANCH_B, roles=("committee_member",)),
    ])
    with notify.db.session() as s:
        found = secretaries(s, {BRANCH_A, BRANCH_B})
    assert dict(found) == {BRANCH_A: [1, 2], BRANCH_B: [4]}
