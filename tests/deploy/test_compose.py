"""deploy/compose.yaml: valid Compose Specification, the image's commands, known settings, start order."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from deploy.conftest import DEPLOY
from deploy.manifest import FLOWER, interpolated, unknown_variables, xianfeng_command
from shared.settings import SERVICES

INFRA = ("postgres", "redis")


def _compose_schema() -> dict:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(vendored.read_text())


def _app_services(compose: dict) -> dict[str, dict]:
    return {n: s for n, s in compose["services"].items() if n not in INFRA}


def test_compose_file_follows_the_compose_specification(compose):
    schema = _compose_schema()
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in jsonschema.validators.validator_for(schema)(schema).iter_errors(compose)]
    assert errors == []


def test_the_schema_check_catches_a_mistake(compose):
    schema = _compose_schema()
    broken = json.loads(json.dumps(compose))
    broken["services"]["pledge-web"]["depends_on"]["migrate-pledge"]["condition"] = "service_finished"
    assert list(jsonschema.validators.validator_for(schema)(schema).iter_errors(broken))


def test_every_piece_runs_alone_with_the_command_the_tests_run(compose):
    app = _app_services(compose)
    commands = {name: svc["command"] for name, svc in app.items()}
    for service in SERVICES:
        assert commands[f"migrate-{service}"] == ["xianfeng", "migrate", service]
        assert commands[f"{service}-web"] == ["xianfeng", "serve", service]
        assert commands[f"{service}-worker"] == ["xianfeng", "worker", service]
    assert commands["beat"] == ["xianfeng", "beat"]
    assert commands["flower"][:4] == FLOWER
    for name, command in commands.items():
        if name != "flower":
            xianfeng_command(command)
    images = {svc["image"] for svc in app.values()}
    assert len(images) == 1, images  # one image, the command chooses the piece
    assert all(svc["build"]["dockerfile"] == "deploy/Dockerfile" for svc in app.values())
    assert (DEPLOY.parent / "deploy" / "Dockerfile").is_file()


def test_migrations_run_once_before_the_processes_of_their_service(compose):
    services = compose["services"]
    for service in SERVICES:
        assert services[f"migrate-{service}"]["restart"] == "no"
        for piece in (f"{service}-web", f"{service}-worker"):
            depends = services[piece]["depends_on"]
            assert depends[f"migrate-{service}"] == {"condition": "service_completed_successfully"}
            assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"
    beat = services["beat"]["depends_on"]
    assert all(beat[f"migrate-{s}"]["condition"] == "service_completed_successfully" for s in SERVICES)
    for svc in services.values():
        assert set(svc.get("depends_on", {})) <= set(services)


def test_one_database_per_service_and_each_process_sees_only_its_own(compose):
    init = DEPLOY / "postgres" / "init-databases.sh"
    mounts = compose["services"]["postgres"]["volumes"]
    assert any(m.startswith("./postgres/init-databases.sh:/docker-entrypoint-initdb.d/") for m in mounts)
    assert "for service in pledge survey notify" in init.read_text()
    for name, svc in _app_services(compose).items():
        urls = {k for k in svc["environment"] if k.endswith("_DATABASE_URL")}
        owner = next((s for s in SERVICES if name in (f"{s}-web", f"{s}-worker", f"migrate-{s}")), None)
        assert urls == ({f"XIANFENG_{owner.upper()}_DATABASE_URL"} if owner else set()), name
        if owner:
            assert svc["environment"][f"XIANFENG_{owner.upper()}_DATABASE_URL"].endswith(f"@postgres:5432/{owner}")


def test_settings_are_xianfeng_variables_the_settings_know(compose):
    text = (DEPLOY / "compose.yaml").read_text()
    for name, svc in _app_services(compose).items():
        env = svc["environment"]
        assert unknown_variables(env) == [], name
        assert env["XIANFENG_ENV"] == "production" and "XIANFENG_SECRET_KEY" in env
        extra = {k for k in env if not k.startswith("XIANFENG_")}
        assert extra <= {"FLOWER_BASIC_AUTH"}, (name, extra)
    assert unknown_variables(interpolated(text)) == []
    example = (DEPLOY / "env.example").read_text()
    assigned = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    required = {v for v in interpolated(text) if f"${{{v}:?" in text}
    assert required <= assigned, required - assigned


@pytest.mark.parametrize("piece", ["pledge-worker", "survey-worker", "notify-worker"])
def test_workers_expose_their_own_metrics(compose, piece):
    svc = compose["services"][piece]
    assert svc["environment"]["XIANFENG_METRICS_PORT"] == "9808" and "9808" in svc["expose"]


def test_flower_watches_the_workers_behind_a_password(compose):
    flower = compose["services"]["flower"]
    assert flower["environment"]["FLOWER_BASIC_AUTH"].startswith("${FLOWER_BASIC_AUTH:?")
    assert all(p.startswith("127.0.0.1:") for p in flower["ports"])
    from celery import Celery

    from shared import celery as celery_setup

    assert isinstance(celery_setup.monitor, Celery)  # what `-A shared.celery:monitor` loads


def test_postgres_and_redis_keep_the_public_images_unless_told_otherwise(compose):
    services = compose["services"]
    assert services["postgres"]["image"] == "${POSTGRES_IMAGE:-postgres:15-bookworm}"
    assert services["redis"]["image"] == "${REDIS_IMAGE:-redis:7-bookworm}"
    runbook = (DEPLOY / "README.md").read_text()
    outside = {v for v in interpolated((DEPLOY / "compose.yaml").read_text()) if not v.startswith("XIANFENG_")}
    assert {"POSTGRES_IMAGE", "REDIS_IMAGE", "PUBLISH_ADDRESS", "PLEDGE_HOST_PORT", "FLOWER_HOST_PORT"} <= outside
    assert [v for v in sorted(outside) if f"`{v}`" not in runbook] == []  # each one documented


def test_every_piece_runs_read_only_under_an_init_with_scratch_in_tmpfs(compose):
    for name, svc in _app_services(compose).items():
        assert svc["read_only"] is True and svc["init"] is True, name
        assert "/tmp" in svc["tmpfs"], name
        writable = [m.split(":")[0] for m in svc["tmpfs"]] + [v.split(":")[1] for v in svc.get("volumes", [])]
        assert "/var/lib/xianfeng" in writable, name  # XIANFENG_DATA_DIR: metrics files, beat schedule
