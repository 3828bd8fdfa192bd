"""The command line's edges: ``xianfeng token`` refuses what the server would refuse, clearly, before minting."""

from __future__ import annotations

import os
import time

import jwt
import pytest

from shared import auth, cli
from shared.settings import DEFAULT_SECRET


def _token(monkeypatch, capsys, *argv: str, **environ: str) -> tuple[int, str, str]:
    for name in [n for n in os.environ if n.startswith("XIANFENG_")]:
        monkeypatch.delenv(name)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    try:
        code = cli.main(["token", *argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out.strip(), err


@pytest.mark.parametrize(("argv", "said"), [
    (["--role", "admin", "--ttl", "0"], "argument --ttl: must be a positive whole number (seconds), not '0'"),
    (["--role", "admin", "--ttl", "-60"], "argument --ttl: must be a positive whole number (seconds), not '-60'"),
    (["--role", "admin", "--ttl", "soon"], "argument --ttl: must be a positive whole number (seconds), not 'soon'"),
    (["--role", "org_admin"], "--role org_admin needs --org ORG_ID"),
    (["--role", "member", "--role", "org_admin", "--sub", "7"], "--role org_admin needs --org ORG_ID"),
    (["--role", "org_admin", "--org", "0"], "argument --org: must be a positive whole number (an org id)"),
    (["--role", "superuser"], "argument --role: invalid choice: 'superuser' (choose from 'admin', 'org_admin', "
                              "'member', 'system')"),
])
def test_token_refuses_what_the_server_would_refuse(monkeypatch, capsys, argv, said):
    code, out, err = _token(monkeypatch, capsys, *argv)
    assert code == 2 and out == ""
    assert "usage: xianfeng token" in err and f"xianfeng token: error: {said}" in err


def test_token_mints_what_the_server_accepts(monkeypatch, capsys):
    code, out, _ = _token(monkeypatch, capsys, "--role", "org_admin", "--org", "12", "--ttl", "600")
    assert code == 0
    principal = auth.decode(DEFAULT_SECRET, out)
    assert principal.roles == {"org_admin"} and principal.org == 12
    assert 590 <= jwt.decode(out, options={"verify_signature": False})["exp"] - time.time() <= 600


def test_token_refuses_to_mint_where_no_hs256_secret_is_configured(monkeypatch, capsys):
    code, out, err = _token(monkeypatch, capsys, "--role", "admin", XIANFENG_ENV="production",
                            XIANFENG_JWKS_URL="https://sso.example/jwks")
    assert code == 2 and out == ""
    assert err.startswith("xianfeng token: no HS256 secret is configured")
    assert "identity provider's tokens (XIANFENG_JWKS_URL)" in err
    code, out, err = _token(monkeypatch, capsys, "--role", "admin", XIANFENG_ENV="production")
    assert code == 2 and out == "" and "no HS256 secret" in err  # never a token of the public default secret
    code, out, _ = _token(monkeypatch, capsys, "--role", "admin", XIANFENG_ENV="production",
                          XIANFENG_SECRET_KEY="k" * 40, XIANFENG_JWKS_URL="https://sso.example/jwks")
    assert code == 0 and auth.decode("k" * 40, out).is_admin  # a secret beside the JWKS: minting works


def test_verbose_is_accepted_before_and_after_the_command():
    assert cli.build_parser().parse_args(["--verbose", "run"]).verbose is True
    assert cli.build_parser().parse_args(["run", "-v"]).verbose is True
    assert cli.build_parser().parse_args(["run"]).verbose is False
