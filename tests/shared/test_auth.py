import time

import jwt
import pytest

from shared import auth
from shared.errors import Unauthorized

SECRET = "s" * 40


def test_mint_and_decode_round_trip():
    p = auth.decode(SECRET, auth.mint(SECRET, roles=["org_admin"], org=5, sub="u1"))
    assert p.roles == {"org_admin"} and p.org == 5 and p.sub == "u1"
    assert p.administers([1, 5, 9]) and not p.administers([1, 6])


def test_member_person_id_and_admin_reach():
    member = auth.decode(SECRET, auth.mint(SECRET, roles=["member"], sub="42"))
    assert member.person_id == 42 and not member.administers([1])
    admin = auth.decode(SECRET, auth.mint(SECRET, roles=["admin"]))
    assert admin.administers([]) and admin.person_id is None


@pytest.mark.parametrize("token", [
    jwt.encode({"roles": ["admin"], "exp": int(time.time()) + 60}, "wrong-secret" * 4, algorithm="HS256"),
    jwt.encode({"roles": ["admin"], "exp": int(time.time()) + 60}, None, algorithm="none"),
    jwt.encode({"roles": ["root"], "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),
    jwt.encode({"roles": ["admin"]}, SECRET, algorithm="HS256"),  # no exp
    jwt.encode({"roles": ["org_admin"], "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"),  # no org
    "not-a-token",
])
def test_bad_tokens_are_refused(token):
    with pytest.raises(Unauthorized):
        auth.decode(SECRET, token)


def test_expired_token_says_so():
    token = auth.mint(SECRET, roles=["admin"], ttl=-10)
    with pytest.raises(Unauthorized) as info:
        auth.decode(SECRET, token)
    assert info.value.key == "token_expired"


def test_unknown_role_cannot_be_minted():
    with pytest.raises(ValueError):
        auth.mint(SECRET, roles=["superuser"])
