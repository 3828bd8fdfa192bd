"""Fixtures for every test: a fresh database per service per test, apps, tokens, a fake broker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shared import auth
from shared.service import discover
from shared.settings import Settings
from shared.testing.databases import BACKEND, ServiceDatabases, settings_for_test
from shared.testing.fakes import RecordingSender


def pytest_report_header(config) -> str:
    return f"xianfeng test backend: {BACKEND}"


@pytest.fixture(scope="session")
def services() -> dict:
    return discover()


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory, services) -> ServiceDatabases:
    dbs = ServiceDatabases(tmp_path_factory.mktemp("templates"), services)
    dbs.setup()
    yield dbs
    dbs.teardown()


@pytest.fixture
def settings(test_databases, tmp_path) -> Settings:
    """Settings pointing at fresh databases for this test (and a data dir of its own)."""
    return settings_for_test(tmp_path, test_databases.fresh(tmp_path))


@pytest.fixture
def sent() -> RecordingSender:
    """What the outbox relays would have sent to the broker during the test."""
    return RecordingSender()


def _started(service, settings: Settings, sent: RecordingSender):
    service.start(settings, sender=sent)
    return service


@pytest.fixture
def pledge(services, settings, sent):
    return _started(services["pledge"], settings, sent)


@pytest.fixture
def survey(services, settings, sent):
    return _started(services["survey"], settings, sent)


@pytest.fixture
def notify(services, settings, sent):
    return _started(services["notify"], settings, sent)


@pytest.fixture
def pledge_client(pledge, settings):
    return pledge.create_app(settings).test_client()


@pytest.fixture
def survey_client(survey, settings):
    return survey.create_app(settings).test_client()


@pytest.fixture
def notify_client(notify, settings):
    return notify.create_app(settings).test_client()


@pytest.fixture
def token(settings) -> Callable[..., str]:
    """``token("admin")``, ``token("org_admin", org=3)``, ``token("member", sub=7)``: a signed JWT."""

    def make(*roles: str, sub: int | str | None = None, org: int | None = None, ttl: int = 3600) -> str:
        return auth.mint(settings.secret_key, roles=roles, sub=None if sub is None else str(sub), org=org, ttl=ttl)

    return make


@pytest.fixture
def auth_headers(token) -> Callable[..., dict[str, str]]:
    """``auth_headers("admin", lang="en")`` → headers with a bearer token."""

    def make(*roles: str, sub=None, org=None, lang: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token(*roles, sub=sub, org=org)}"}
        if lang:
            headers["Accept-Language"] = lang
        return headers

    return make
