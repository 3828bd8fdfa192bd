"""Rotating the JWT key: tokens signed with the key being retired pass until it is removed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shared import auth
from shared.auth import require
from shared.errors import Unauthorized
from shared.settings import SettingsError, load

OLD = "old-key-" + "o" * 40
NEW = "new-key-" + "n" * 40


def test_decode_accepts_the_previous_key_for_verification_only():
    old_token = auth.mint(OLD, roles=["admin"], sub="1")
    assert auth.decode(NEW, old_token, previous=[OLD]).is_admin
    with pytest.raises(Unauthorized):
        auth.decode(NEW, old_token)
    with pytest.raises(Unauthorized):
        auth.decode(NEW, auth.mint("someone-else-" + "x" * 40, roles=["admin"]), previous=[OLD])
    expired = auth.mint(OLD, roles=["admin"], ttl=-10)
    with pytest.raises(Unauthorized) as caught:
        auth.decode(NEW, expired, previous=[OLD])
    assert caught.value.key == "token_expired"


def test_settings_refuse_a_rotation_that_is_not_one():
    with pytest.raises(SettingsError, match="rotation needs a new key"):
        load({"XIANFENG_SECRET_KEY": NEW, "XIANFENG_SECRET_KEY_PREVIOUS": NEW}).check()
    with pytest.raises(SettingsError, match="PREVIOUS"):
        load({"XIANFENG_ENV": "production", "XIANFENG_SECRET_KEY": NEW,
              "XIANFENG_SECRET_KEY_PREVIOUS": "short"}).check()
    load({"XIANFENG_ENV": "production", "XIANFENG_SECRET_KEY": NEW, "XIANFENG_SECRET_KEY_PREVIOUS": OLD}).check()


@pytest.mark.parametrize("previous", ["", OLD])
def test_a_service_during_and_after_rotation(services, settings, sent, previous):
    rotated = replace(settings, secret_key=NEW, secret_key_previous=previous)
    svc = services["notify"]
    svc.start(rotated, sender=sent)
    app = svc.create_app(rotated)
    app.add_url_rule("/whoami", "whoami", lambda: require("admin").to_log())
    client = app.test_client()

    def status(key: str) -> int:
        token = auth.mint(key, roles=["admin"], sub="9")
        return client.get("/whoami", headers={"Authorization": f"Bearer {token}"}).status_code

    assert status(NEW) == 200
    assert status(OLD) == (200 if previous else 401)
    assert status("never-configured-" + "z" * 40) == 401
