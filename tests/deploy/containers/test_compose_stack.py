"""deploy/compose.yaml end to end with podman-compose: PostgreSQL and Redis from Debian's packages,
the migrations, three web processes, three workers, beat and Flower on compose's own network.

The compose file keeps the public image names as defaults; the test points ``POSTGRES_IMAGE``,
``REDIS_IMAGE`` and ``IMAGE`` at the images ``deploy/image.sh`` builds here, publishes on 127.0.0.1
and free ports, and starts the stack with deploy/podman-compose-up.sh (the order compose's
depends_on states, in steps podman 4.3 can take).  ``down -v`` leaves nothing of the project.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid

import httpx
import pytest

from deploy.containers.conftest import note
from deploy.containers.engine import ROOT, Container, podman, run_script
from deploy.helpers import free_port
from shared import auth
from shared.settings import SERVICES
from shared.testing.processes import wait_for

pytestmark = pytest.mark.containers

PODMAN_COMPOSE = str(ROOT / ".venv" / "bin" / "podman-compose")


class Project:
    def __init__(self, images: dict[str, str]) -> None:
        self.name = f"xf-compose-{uuid.uuid4().hex[:6]}"
        self.ports = {s: free_port() for s in (*SERVICES, "flower")}
        self.urls = {s: f"http://127.0.0.1:{p}" for s, p in self.ports.items()}
        self.secret = secrets.token_urlsafe(36)
        self.flower_auth = ("ops", secrets.token_urlsafe(12))
        self.environ = {
            **{k: v for k, v in os.environ.items() if not k.startswith("XIANFENG_")},
            "PROJECT": self.name, "PODMAN_COMPOSE": PODMAN_COMPOSE,
            "IMAGE": images["app"], "POSTGRES_IMAGE": images["postgres"], "REDIS_IMAGE": images["redis"],
            "PUBLISH_ADDRESS": "127.0.0.1", "FLOWER_HOST_PORT": str(self.ports["flower"]),
            **{f"{s.upper()}_HOST_PORT": str(self.ports[s]) for s in SERVICES},
            "XIANFENG_SECRET_KEY": self.secret, "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
            # one gunicorn process per web, one Celery process per worker: 2 cores start 13 containers
            "XIANFENG_WEB_WORKERS": "1", "XIANFENG_WORKER_CONCURRENCY": "1",
            **{f"{s.upper()}_DB_PASSWORD": secrets.token_urlsafe(16) for s in SERVICES},
            "FLOWER_BASIC_AUTH": ":".join(self.flower_auth),
        }

    def compose(self, *args: str, timeout: float = 300) -> str:
        return run_script([PODMAN_COMPOSE, "-p", self.name, "-f", "deploy/compose.yaml", *args], self.environ,
                          timeout=timeout)

    def container(self, service: str) -> Container:
        names = podman("ps", "--all", "--filter", f"label=io.podman.compose.project={self.name}",
                       "--filter", f"label=com.docker.compose.service={service}", "--format", "{{.Names}}").stdout
        return Container(names.split()[0])

    def leftovers(self) -> dict[str, list[str]]:
        label = f"label=io.podman.compose.project={self.name}"
        return {
            "containers": podman("ps", "--all", "--filter", label, "--format", "{{.Names}}").stdout.split(),
            "volumes": podman("volume", "ls", "--filter", label, "--format", "{{.Name}}").stdout.split(),
            "networks": [n for n in podman("network", "ls", "--format", "{{.Name}}").stdout.split()
                         if n.startswith(self.name)],
            "pods": [p for p in podman("pod", "ps", "--format", "{{.Name}}").stdout.split() if self.name in p],
        }

    def token(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {auth.mint(self.secret, roles=('admin',), sub=None, org=None, ttl=600)}"}


def _ready(url: str) -> bool:
    try:
        return httpx.get(url + "/readyz", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_compose_stack_comes_up_carries_a_message_across_services_and_goes_down_leaving_nothing(images):
    project = Project(images)
    t0 = time.monotonic()
    try:
        run_script(["deploy/podman-compose-up.sh"], project.environ, timeout=400)
        wait_for(lambda: all(_ready(project.urls[s]) for s in SERVICES), 180, interval=1, what="three /readyz 200")
        started = time.monotonic() - t0
        for service in SERVICES:
            assert project.container(f"migrate-{service}").wait(10) == 0
            web = project.container(f"{service}-web").inspect()
            assert web["HostConfig"]["ReadonlyRootfs"] is True and web["Config"]["User"] == "10001:10001"
        for service in ("postgres", "redis", *(f"{s}-web" for s in SERVICES), *(f"{s}-worker" for s in SERVICES),
                        "beat"):
            assert project.container(service).healthcheck() == 0, service  # compose's and the image's checks

        with httpx.Client(timeout=10, headers=project.token()) as client:
            made = client.post(project.urls["pledge"] + "/api/v1/orgs",
                               json={"name": "集团党委", "code": "HG", "kind": "committee"})
            assert made.status_code == 201, made.text
            for service in ("survey", "notify"):  # pledge's outbox → Redis → that service's worker
                wait_for(lambda s=service: client.get(project.urls[s] + "/api/v1/directory/status").json()
                         == {"orgs": 1, "people": 0}, 60, interval=0.5, what=f"the org in {service}")
        assert httpx.get(project.urls["flower"] + "/", timeout=10).status_code == 401
        flower = httpx.get(project.urls["flower"] + "/", auth=project.flower_auth, timeout=10, follow_redirects=True)
        assert flower.status_code == 200 and "Flower" in flower.text
        beat = project.container("beat")  # its schedule lives on the beatdata volume, written as uid 10001
        assert podman("exec", beat.name, "sh", "-c", "ls /var/lib/xianfeng/beat-schedule*").returncode == 0
    finally:
        t1 = time.monotonic()
        project.compose("down", "--volumes", "--timeout", "30")
        stopped = time.monotonic() - t1
    assert project.leftovers() == {"containers": [], "volumes": [], "networks": [], "pods": []}
    note(f"compose: up (postgres, redis → 3 migrations → 3 web, 3 workers, beat, flower) to three /readyz 200 "
         f"in {started:.0f} s; a message crossed pledge → survey, notify; down -v in {stopped:.0f} s left nothing")
