"""The screen for unstorable input (NUL characters, integers wider than their column) and its fast path:
a body the quick scan passes must hold nothing the full walk would refuse."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from shared.errors import MAX_ID, MAX_INT
from shared.web.errors import _may_hold_unstorable, _unstorable

keys = st.sampled_from(["id", "org_id", "name", "score", "a\x00b", "target_ids", "n"]) | st.text(max_size=4)
scalars = (st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
           | st.integers(min_value=-(2**70), max_value=2**70)
           | st.sampled_from([MAX_ID, MAX_ID + 1, -MAX_ID - 1, MAX_INT, MAX_INT + 1])
           | st.text(alphabet=st.characters(codec="utf-8"), max_size=6))
bodies = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=20)


@given(body=bodies, ascii_only=st.booleans())
def test_a_body_passed_by_the_quick_scan_holds_nothing_unstorable(body, ascii_only):
    raw = json.dumps(body, ensure_ascii=ascii_only).encode()
    if _unstorable(body, ""):
        assert _may_hold_unstorable(raw)


def test_the_quick_scan_passes_a_ballot_and_flags_what_the_walk_refuses():
    ballot = {"answers": [{"target_type": "person", "target_id": 1001 + i, "dimension": "d", "score": 5}
                          for i in range(20)]}
    assert not _may_hold_unstorable(json.dumps(ballot).encode())
    assert _may_hold_unstorable(b'{"name": "a\\u0000b"}')
    assert _may_hold_unstorable(b'{"org_id": 2147483648}')
    # another encoding than UTF-8 is walked whatever it holds
    assert _may_hold_unstorable(json.dumps({"name": "x"}).encode("utf-16"))


def test_ids_beyond_32_bits_and_nul_in_keys_are_still_a_named_422(pledge_client, auth_headers):
    response = pledge_client.post("/api/v1/orgs", json={"code": "X", "name": "x", "kind": "branch",
                                                        "parent_id": MAX_ID + 1}, headers=auth_headers("admin"))
    assert response.status_code == 422
    assert "parent_id" in response.get_json()["errors"]
    response = pledge_client.post("/api/v1/orgs", data=b'{"code": "X", "name": "x", "kind": "branch", "e\\u0000": 1}',
                                  content_type="application/json", headers=auth_headers("admin"))
    assert response.status_code == 422
