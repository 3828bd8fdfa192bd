"""Helpers of the end-to-end tests: a run's URLs, ports and an admin token for them."""

from __future__ import annotations

from shared import auth
from shared.settings import DEFAULT_SECRET, SERVICES


def urls_of(env: dict[str, str]) -> dict[str, str]:
    return {name: f"http://127.0.0.1:{env[f'XIANFENG_{name.upper()}_PORT']}" for name in SERVICES}


def ports_of(env: dict[str, str]) -> dict[str, int]:
    return {name: int(env[f"XIANFENG_{name.upper()}_PORT"]) for name in SERVICES}


def admin_headers(env: dict[str, str]) -> dict[str, str]:
    token = auth.mint(env.get("XIANFENG_SECRET_KEY", DEFAULT_SECRET), roles=["admin"])
    return {"Authorization": f"Bearer {token}"}
