"""Fixtures of the container tests: the images (built once, cached), and the figures they report.

These tests run the image itself, so they need root, podman with runc and the images:
``make containers`` (deploy/podman-setup.sh, then ``pytest -m containers tests/deploy/containers``).
"""

from __future__ import annotations

import json
import time

import pytest

from deploy.containers.engine import ROOT, podman, run_script

NOTES: list[str] = []  # figures for the terminal summary: image size, build, start and stop times


def note(line: str) -> None:
    NOTES.append(line)


def pytest_terminal_summary(terminalreporter) -> None:
    if NOTES:
        terminalreporter.section("containers")
        for line in NOTES:
            terminalreporter.write_line(line)


def _version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.fixture(scope="session")
def images() -> dict[str, str]:
    """The app image and compose's PostgreSQL and Redis images, built (or found up to date) by
    ``deploy/image.sh all``, exactly as ``make images`` does."""
    info = json.loads(podman("info", "--format", "json").stdout)
    assert info["host"]["ociRuntime"]["name"] == "runc", "deploy/podman-setup.sh configures runc"
    started = time.monotonic()
    out = run_script(["deploy/image.sh", "all"], timeout=1500)
    tags = {"app": f"localhost/xianfeng:{_version()}", "postgres": "localhost/xianfeng-postgres:15-bookworm",
            "redis": "localhost/xianfeng-redis:7-bookworm"}
    sizes = {k: json.loads(podman("image", "inspect", tag).stdout)[0]["Size"] / 1e6 for k, tag in tags.items()}
    note(f"images built or found up to date in {time.monotonic() - started:.0f} s: "
         + ", ".join(f"{tags[k]} {sizes[k]:.0f} MB" for k in tags))
    steps = [line.removeprefix("image.sh: ") for line in out.splitlines() if line.startswith("image.sh:")]
    note("  " + " | ".join(steps))
    return tags
