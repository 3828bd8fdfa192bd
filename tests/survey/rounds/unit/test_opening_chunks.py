"""A chunk of raters as the issuing task carries it: raters with identical ballots grouped, nothing lost."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from services.survey.rounds.opening import pack, unpack

links = st.lists(st.tuples(st.integers(1, 50), st.sampled_from([None, "self", "peer", "masses"])), min_size=1,
                 max_size=4, unique_by=lambda link: link[0])


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(1, 10_000), st.tuples(st.integers(1, 5), links), max_size=30))
def test_pack_then_unpack_gives_back_every_rater_in_order(raters):
    chosen = sorted((pid, org, pairs) for pid, (org, pairs) in raters.items())
    paths = {org: f"/1/{org}/" for org in range(1, 6)}
    back, got_paths = unpack(json.loads(json.dumps(pack(chosen, paths))))  # as the broker carries it
    assert back == chosen
    assert got_paths == {org: paths[org] for _, org, _ in chosen}


def test_employees_of_a_branch_share_one_list_of_links():
    same = [(1, "peer"), (2, "peer")]
    chunk = pack([(10, 3, same), (11, 3, same), (12, 3, [(9, None)])], {3: "/1/3/"})
    assert chunk["groups"] == [[[[1, "peer"], [2, "peer"]], [[10, 3], [11, 3]]], [[[9, None]], [[12, 3]]]]
