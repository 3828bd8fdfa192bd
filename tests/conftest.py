"""Fixtures for every test: a fresh database per service per test, apps, tokens, a fake broker."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

import pytest
from e2e.clients import generated_clients  # noqa: F401  (a session fixture: the clients generated once)

from shared import auth
from shared.logs import configure as configure_logs
from shared.service import discover
from shared.settings import Settings, load
from shared.testing.databases import BACKEND, ISSUED_BROKER_PREFIXES, ServiceDatabases, environ_for_test, on_postgres
from shared.testing.fakes import RecordingSender
from shared.testing.processes import WorkerProcess, start_broker
from shared.testing.rabbitmq import RABBITMQ_URL, delete_broker_objects
from shared.testing.serving import serving


def pytest_configure(config) -> None:
    # the production log pipeline (JSON, redaction) in tests too: no token in captured output, and
    # no slow pretty tracebacks with locals when a test provokes an error
    configure_logs("INFO", json=True)


def pytest_report_header(config) -> str:
    return f"xianfeng test backend: {BACKEND}"


def pytest_collection_modifyitems(config, items) -> None:
    """``@pytest.mark.rabbitmq`` tests (RabbitMQ's own behaviour) run on that profile only,
    ``@pytest.mark.services`` tests (PostgreSQL's own behaviour: its connections, its concurrency) on the
    PostgreSQL profiles only, and ``@pytest.mark.process_tree`` tests (how ``xianfeng run`` supervises its
    children: restarts, orphans, preflight, a quiet console — the same whichever database and broker) on the
    embedded profile only: deselected, and counted as such in the summary, elsewhere."""

    def elsewhere(item) -> bool:
        if item.get_closest_marker("rabbitmq"):
            return BACKEND != "rabbitmq"
        if item.get_closest_marker("services"):
            return not on_postgres(BACKEND)
        return bool(item.get_closest_marker("process_tree")) and BACKEND != "embedded"

    others = [item for item in items if elsewhere(item)]
    if others:
        config.hook.pytest_deselected(items=others)
        items[:] = [item for item in items if not elsewhere(item)]


@pytest.fixture(autouse=True)
def _broker_objects_removed():
    """On the rabbitmq profile, the queues and exchanges declared under the prefixes a test was given are
    deleted after it (the shared server keeps nothing of ours); other profiles issue no prefixes here."""
    issued = len(ISSUED_BROKER_PREFIXES)
    yield
    for prefix in ISSUED_BROKER_PREFIXES[issued:]:
        delete_broker_objects(RABBITMQ_URL, prefix)
    del ISSUED_BROKER_PREFIXES[issued:]


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
def test_environ(test_databases, tmp_path) -> dict[str, str]:
    """The ``XIANFENG_*`` variables of this test: fresh databases and a data dir of its own."""
    return environ_for_test(tmp_path, test_databases.fresh(tmp_path))


@pytest.fixture
def settings(test_environ) -> Settings:
    return load(test_environ)


@pytest.fixture
def live_settings(settings):
    """The test's settings with a real broker answering: its own embedded Redis, or the machine's Redis
    (services backend, under a key prefix of its own).  Services started with these send for real."""
    broker = start_broker(settings)
    yield settings
    for svc in discover().values():
        if svc.runtime is not None and svc.runtime.settings == settings:
            svc.runtime.db.dispose()
    if broker is not None:
        broker.stop()


@pytest.fixture
def live(services, live_settings) -> Callable:
    """``live("pledge")``: the service started on the real broker (outbox relays really send)."""

    def start(name: str):
        services[name].start(live_settings, sender=None)
        return services[name]

    return start


@pytest.fixture
def workers(services, live_settings, test_environ, tmp_path) -> Callable[..., WorkerProcess]:
    """``workers("notify")``: a real ``xianfeng worker notify`` subprocess, ready; stopped after the test."""
    started: list[WorkerProcess] = []

    def start(name: str, concurrency: int = 1, **environ: str) -> WorkerProcess:
        services[name].start(live_settings, sender=None)
        worker = WorkerProcess(services[name], {**test_environ, **environ}, tmp_path, concurrency)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop(timeout=15)


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
def serve():
    """``serve(app)`` → the base URL of ``app`` on a threaded local server, stopped after the test."""
    with ExitStack() as stack:
        yield lambda app: stack.enter_context(serving(app))


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
