"""Tokens of the group's identity provider: RS256/ES256 checked against its JWKS, served here by a local HTTP
server on 127.0.0.1 whose key is rotated mid-test; keys by kid, one refresh for an unknown kid (within the
cooldown none), issuer, audience and expiry enforced, roles/org/person read through the claim mapping."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared import auth
from shared.auth import require
from shared.errors import Unauthorized
from shared.settings import DEFAULT_SECRET, SettingsError, load

ISSUER, AUDIENCE = "https://sso.hangang.example", "xianfeng"
CLAIMS = "roles=groups,org=dept_id,sub=employee_id"
COOLDOWN = 1


class SigningKey:
    def __init__(self, kid: str, algorithm: str = "RS256") -> None:
        self.kid, self.algorithm = kid, algorithm
        self.private = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if algorithm == "RS256"
                        else ec.generate_private_key(ec.SECP256R1()))

    @property
    def jwk(self) -> dict:
        family = jwt.algorithms.RSAAlgorithm if self.algorithm == "RS256" else jwt.algorithms.ECAlgorithm
        return {**family.to_jwk(self.private.public_key(), as_dict=True), "kid": self.kid, "use": "sig",
                "alg": self.algorithm}

    def token(self, *, kid: str | None = None, ttl: int = 300, **claims) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + ttl, "groups": ["admin", "staff"],
                "employee_id": "E1001", **claims}
        return jwt.encode({k: v for k, v in body.items() if v is not None}, self.private,
                          algorithm=self.algorithm, headers={"kid": kid or self.kid})


class Jwks:
    """The identity provider's key set on 127.0.0.1, counting every fetch; ``keys`` can be swapped (rotation)."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys, self.fetches = keys, 0
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                jwks.fetches += 1
                body = json.dumps({"keys": [k.jwk for k in jwks.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def keys():
    return {"a": SigningKey("key-a"), "b": SigningKey("key-b"), "ec": SigningKey("key-ec", "ES256")}


@pytest.fixture
def jwks(keys):
    server = Jwks([keys["a"], keys["ec"]])
    yield server
    server.close()


@pytest.fixture
def idp_settings(settings, jwks):
    return replace(settings, jwks_url=jwks.url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE, jwt_claims=CLAIMS,
                   jwks_cooldown=COOLDOWN)


@pytest.fixture
def client(services, idp_settings, sent):
    svc = services["notify"]
    svc.start(idp_settings, sender=sent)
    app = svc.create_app(idp_settings)
    app.add_url_rule("/whoami", "whoami", lambda: require("admin", "org_admin", "member", "system").to_log())
    return app.test_client()


def _call(client, token: str, path: str = "/api/v1/dead-letters", lang: str = "zh"):
    return client.get(path, headers={"Authorization": f"Bearer {token}", "Accept-Language": lang})


def _refused(response, key: str = "unauthorized") -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"code", "error", "message", "errors"} and body["code"] == 401 and body["error"] == key


def test_keys_by_kid_rotation_with_one_refresh_and_unknown_kids_refused(client, jwks, keys):
    assert _call(client, keys["a"].token()).status_code == 200  # admin through the groups claim
    assert _call(client, keys["ec"].token()).status_code == 200  # ES256 from the same key set
    assert jwks.fetches == 1  # one fetch, then the cache

    jwks.keys = [keys["b"], keys["ec"]]  # the provider rotates: key-a gone, key-b signs
    assert _call(client, keys["a"].token()).status_code == 200  # still cached: the provider's own overlap
    time.sleep(COOLDOWN + 0.2)
    assert _call(client, keys["b"].token()).status_code == 200  # unknown kid → one refresh → accepted
    assert jwks.fetches == 2
    _refused(_call(client, keys["a"].token()))  # the old kid is gone from the refreshed set
    for n in range(20):  # made-up kids within the cooldown: refused without another fetch
        _refused(_call(client, keys["b"].token(kid=f"made-up-{n}")))
    assert jwks.fetches == 2
    time.sleep(COOLDOWN + 0.2)
    _refused(_call(client, keys["b"].token(kid="never-published")))  # after the cooldown: one refresh, refused
    assert jwks.fetches == 3
    assert _call(client, keys["b"].token()).status_code == 200 and jwks.fetches == 3


@pytest.mark.parametrize(("claims", "key"), [
    ({"ttl": -120}, "token_expired"),  # beyond the 30 s of allowed clock difference
    ({"iss": "https://other-sso.example"}, "unauthorized"),
    ({"aud": "another-application"}, "unauthorized"),
    ({"aud": None}, "unauthorized"),  # no audience at all
    ({"iss": None}, "unauthorized"),
    ({"groups": ["staff", "it"]}, "unauthorized"),  # none of our roles
    ({"groups": ["org_admin"]}, "unauthorized"),  # an org admin of no org
    ({"groups": ["org_admin"], "dept_id": "HG-01"}, "unauthorized"),  # an org that is not an id
])
def test_expired_foreign_and_roleless_tokens_are_refused_in_the_error_shape(client, keys, claims, key):
    ttl = claims.pop("ttl", 300)
    _refused(_call(client, keys["a"].token(ttl=ttl, **claims)), key)
    english = _call(client, keys["a"].token(ttl=ttl, **claims), lang="en").json["message"]
    assert english.isascii()


def test_signatures_that_do_not_match_the_key_are_refused(client, jwks, keys):
    forged = SigningKey("key-a")  # same kid, another private key
    _refused(_call(client, forged.token()))
    ec_kid_on_rsa = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60, "groups": ["admin"]},
                               keys["a"].private, algorithm="RS256", headers={"kid": "key-ec"})
    _refused(_call(client, ec_kid_on_rsa))  # the EC key cannot check an RS256 signature
    public_pem = keys["a"].private.public_key().public_bytes(serialization.Encoding.PEM,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    _refused(_call(client, _hs256_with(public_pem)))  # the public key as an HMAC secret: the classic confusion
    no_kid = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60, "groups": ["admin"]},
                        keys["a"].private, algorithm="RS256")
    fetches = jwks.fetches
    _refused(_call(client, no_kid))
    assert jwks.fetches == fetches  # no kid: refused without asking the provider


def _hs256_with(secret: bytes) -> str:
    """An HS256 token keyed with ``secret`` (PyJWT itself refuses a PEM key as an HMAC secret)."""

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "key-a"}).encode())
    payload = b64(json.dumps({"iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60,
                              "groups": ["admin"]}).encode())
    signature = b64(hmac.new(secret, header + b"." + payload, hashlib.sha256).digest())
    return (header + b"." + payload + b"." + signature).decode()


def test_the_claim_mapping_gives_roles_org_and_person(client, keys):
    member = _call(client, keys["a"].token(groups="member staff", employee_id="42"), "/whoami")
    assert member.json == {"sub": "42", "roles": ["member"], "org": None}
    org_admin = _call(client, keys["a"].token(groups=["org_admin", "cadre"], dept_id="12"), "/whoami")
    assert org_admin.json == {"sub": "E1001", "roles": ["org_admin"], "org": 12}
    assert _call(client, keys["a"].token(groups=["member"]), "/api/v1/dead-letters").status_code == 403


def test_our_own_tokens_still_pass_beside_the_provider(client, idp_settings):
    ours = auth.mint(idp_settings.secret_key, roles=["admin"], sub="1")
    assert _call(client, ours).status_code == 200


def test_a_service_holding_only_the_jwks_verifies_but_accepts_no_hs256_token(test_environ, jwks, keys):
    production = load({**test_environ, "XIANFENG_ENV": "production", "XIANFENG_JWKS_URL": "https://sso/jwks",
                       "XIANFENG_JWT_ISSUER": ISSUER, "XIANFENG_JWT_AUDIENCE": AUDIENCE,
                       "XIANFENG_JWT_CLAIMS": CLAIMS})
    production.check()  # no secret key set: fine with a JWKS
    assert production.hs256_secret is None
    verifier = auth.Verifier(replace(production, jwks_url=jwks.url))  # the test's provider: plain HTTP, 127.0.0.1
    with pytest.raises(Unauthorized):  # a token signed with the public default secret: nothing
        verifier.principal(auth.mint(DEFAULT_SECRET, roles=["admin"]))
    assert verifier.principal(keys["a"].token()).is_admin


def test_the_last_keys_stay_in_use_while_the_provider_is_down_and_none_at_all_is_a_503(client, jwks, keys,
                                                                                      services, sent, settings):
    assert _call(client, keys["a"].token()).status_code == 200
    verifier = client.application.extensions["xianfeng_verifier"]
    jwks.close()
    assert [k.key_id for k in verifier.keys.get_signing_keys(refresh=True)] == ["key-a", "key-ec"]
    assert _call(client, keys["a"].token()).status_code == 200

    never_fetched = replace(settings, jwks_url=jwks.url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    services["survey"].start(never_fetched, sender=sent)
    app = services["survey"].create_app(never_fetched)
    response = app.test_client().get("/api/v1/dead-letters", headers={
        "Authorization": f"Bearer {keys['a'].token()}", "Accept-Language": "en"})
    assert response.status_code == 503
    assert response.json["error"] == "identity_provider_unavailable" and response.json["message"].isascii()


@pytest.mark.parametrize(("environ", "message"), [
    ({"XIANFENG_JWKS_URL": "https://sso/jwks"}, "needs XIANFENG_JWT_ISSUER and XIANFENG_JWT_AUDIENCE"),
    ({"XIANFENG_JWKS_URL": "https://sso/jwks", "XIANFENG_JWT_ISSUER": ISSUER}, "needs XIANFENG_JWT_AUDIENCE"),
    ({"XIANFENG_JWKS_URL": "file:///etc/keys.json", "XIANFENG_JWT_ISSUER": ISSUER,
      "XIANFENG_JWT_AUDIENCE": AUDIENCE}, "must be an http"),
    ({"XIANFENG_ENV": "production", "XIANFENG_JWKS_URL": "http://sso/jwks", "XIANFENG_JWT_ISSUER": ISSUER,
      "XIANFENG_JWT_AUDIENCE": AUDIENCE}, "must be https in production"),
    ({"XIANFENG_JWKS_URL": "https://sso/jwks", "XIANFENG_JWT_ISSUER": ISSUER, "XIANFENG_JWT_AUDIENCE": AUDIENCE,
      "XIANFENG_JWT_CLAIMS": "roles=groups,person=employee_id"}, "XIANFENG_JWT_CLAIMS: 'person' is not one of"),
    ({"XIANFENG_JWKS_URL": "https://sso/jwks", "XIANFENG_JWT_ISSUER": ISSUER, "XIANFENG_JWT_AUDIENCE": AUDIENCE,
      "XIANFENG_JWT_CLAIMS": "roles"}, "is not NAME=CLAIM"),
    ({"XIANFENG_ENV": "production"}, "default secret"),  # neither a secret nor a JWKS
])
def test_settings_refuse_an_incomplete_identity_provider(environ, message):
    with pytest.raises(SettingsError, match=message):
        load(environ).check()
