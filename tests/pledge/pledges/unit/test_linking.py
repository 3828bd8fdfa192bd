"""The links of pledge notifications: absolute, and a pledge page grant that opens one pledge for one member."""

from __future__ import annotations

import pytest

from services.pledge.pledges import linking
from shared import links
from shared.errors import Forbidden, Unauthorized


def test_links_are_absolute_and_a_grant_names_one_member_for_one_pledge(settings):
    url = linking.pledge_link(settings, 7, 42)
    assert url.startswith("http://127.0.0.1:5001/pledges/7?grant=")
    assert linking.board_link(settings, 3, 7) == "http://127.0.0.1:5001/board/3#pledge-7"
    assert linking.board_link(settings, 3) == "http://127.0.0.1:5001/board/3"
    grant = url.split("grant=")[1]
    principal = linking.grantee(settings, 7, grant)
    assert principal.person_id == 42 and principal.roles == {"member"}
    with pytest.raises(Forbidden):
        linking.grantee(settings, 8, grant)


@pytest.mark.parametrize("sub", [True, "42", None, 4.2])
def test_a_grant_without_a_person_opens_nothing(settings, sub):
    with pytest.raises(Forbidden):
        linking.grantee(settings, 7, links.sign(settings, linking.PURPOSE, {"pledge": 7, "sub": sub}))


def test_an_expired_grant_says_so(settings):
    with pytest.raises(Unauthorized) as refused:
        linking.grantee(settings, 7, links.sign(settings, linking.PURPOSE, {"pledge": 7, "sub": 1}, ttl=-1))
    assert refused.value.key == "token_expired"
