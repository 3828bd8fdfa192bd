"""deploy/Dockerfile: non-root, a health check, the settings it sets are known, what it copies exists."""

from __future__ import annotations

import re
import tomllib

import pytest

from deploy.conftest import DEPLOY, ROOT
from deploy.manifest import unknown_variables
from shared.settings import DEFAULT_PORTS

DOCKERFILE = (DEPLOY / "Dockerfile").read_text()


def _instructions(name: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(name + " ")]


def test_the_image_runs_as_a_non_root_user():
    users = _instructions("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "useradd --system --uid 10001" in DOCKERFILE


def test_the_image_checks_its_health_on_healthz():
    (check,) = _instructions("HEALTHCHECK")
    assert "xianfeng-healthcheck" in check
    assert "COPY deploy/healthcheck.py /opt/xianfeng/bin/xianfeng-healthcheck" in DOCKERFILE
    assert "/healthz" in (DEPLOY / "healthcheck.py").read_text()


def test_the_image_sets_only_known_settings_and_exposes_the_service_ports():
    env = " ".join(_instructions("ENV"))
    names = re.findall(r"(\w+)=", env)
    assert unknown_variables(names) == []
    assert {"XIANFENG_ENV", "XIANFENG_DATA_DIR", "XIANFENG_BIND_HOST"} <= set(names)
    exposed = {int(p) for p in " ".join(_instructions("EXPOSE")).split()}
    assert set(DEFAULT_PORTS.values()) <= exposed


def test_what_the_image_copies_exists_and_flower_is_in_the_ops_extra():
    for copy in _instructions("COPY"):
        if "--from=" in copy:
            continue
        *sources, _target = copy.split()
        for source in sources:
            assert (ROOT / source).exists(), source
    assert 'p["optional-dependencies"]["ops"]' in DOCKERFILE  # the image installs the ops extra too
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(dep.startswith("flower") for dep in extras["ops"])
    assert not any(dep.startswith("flower") for dep in tomllib.loads(
        (ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".git", ".venv", "var", "tests"} <= set(ignored)


@pytest.mark.parametrize(("command", "environ", "target"), [
    (["/opt/xianfeng/bin/python", "/opt/xianfeng/bin/xianfeng", "serve", "survey"], {}, (5002, "/healthz")),
    (["xianfeng", "serve", "notify", "--port", "7003"], {}, (7003, "/healthz")),
    (["/run/podman-init", "--", "xianfeng", "serve", "pledge"], {"XIANFENG_PLEDGE_PORT": "6001"}, (6001, "/healthz")),
    (["xianfeng", "worker", "notify"], {}, None),
    (["xianfeng", "worker", "notify"], {"XIANFENG_METRICS_PORT": "9808"}, (9808, "/metrics")),
    (["xianfeng", "beat"], {}, None),
    (["xianfeng", "migrate", "pledge"], {}, None),
])
def test_the_health_check_asks_what_the_k8s_liveness_probes_ask(command, environ, target):
    import importlib.util

    spec = importlib.util.spec_from_file_location("healthcheck", DEPLOY / "healthcheck.py")
    healthcheck = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(healthcheck)
    assert healthcheck.probe(command, environ) == target


def test_the_runbook_documents_every_setting_and_every_piece():
    from shared.settings import known_variables

    runbook = (DEPLOY / "README.md").read_text()
    assert [v for v in known_variables() if f"`{v}`" not in runbook] == []
    for command in ("xianfeng migrate", "xianfeng serve", "xianfeng worker", "xianfeng beat", "pg_dump",
                    "pg_restore", ".backup", "XIANFENG_SECRET_KEY_PREVIOUS", "xianfeng_queue_depth"):
        assert command in runbook, command


def test_what_the_image_installs_holds_every_migration_and_template(tmp_path):
    """The image installs the project non-editable: the wheel must carry more than the .py packages."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "src"  # what the Dockerfile copies, built outside the work tree
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("shared", "services"):
        shutil.copytree(ROOT / part, source / part, ignore=ignore)
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, source / part)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("xianfeng-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = [p for pattern in ("services/*/migrations/**/*", "services/*/templates/**/*", "shared/**/*.py",
                                "shared/**/*.ini")
              for p in ROOT.glob(pattern) if p.is_file() and "__pycache__" not in p.parts]
    missing = sorted(str(p.relative_to(ROOT)) for p in wanted if str(p.relative_to(ROOT)) not in names)
    assert wanted and missing == []
    assert any(n.endswith("entry_points.txt") for n in names)
