"""Every piece of xianfeng as its own container, from the one image, as an orchestrator runs them.

The three migration jobs, three web containers, three workers and beat, each ``podman run`` alone
(host network, read-only root filesystem, uid 10001), configured by ``XIANFENG_*`` variables only,
on the machine's PostgreSQL (a database per service, made by the test and dropped after) and Redis
(a key prefix of the run's own; the shared Redis is never flushed).  A short campaign is played over
the public HTTP API; then a worker container is killed in the middle of a fan-out and replaced,
and the work it had in flight is done exactly once.  At the end nothing of the run is left.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import time
import uuid
from datetime import date
from functools import cached_property

import httpx
import pytest
import redis
import yaml
from sqlalchemy import create_engine, text

from deploy.containers.conftest import note
from deploy.containers.engine import ROOT, Container, Engine, podman
from deploy.helpers import free_port
from shared import campaign
from shared.celery import configure, make_celery
from shared.settings import SERVICES, load
from shared.testing.databases import PG_ADMIN_URL, REDIS_URL, create_pg_database, drop_pg_database, pg_url
from shared.testing.processes import wait_for

pytestmark = pytest.mark.containers

# seconds before Redis hands a killed worker's unacknowledged message to another worker; production
# keeps it above the longest task (deploy/README.md), the test keeps it short to see it happen
VISIBILITY_TIMEOUT = 20
CHUNK = 1000  # people per delivery task (XIANFENG_NOTIFY_CHUNK_SIZE): more tasks than the default, to kill one
FANOUT = 5 * CHUNK  # people in the notification whose delivery is interrupted: five chunks


class Stack:
    """The run's names, ports and settings, and the containers it started."""

    def __init__(self, engine: Engine, image: str) -> None:
        self.engine, self.image, self.run = engine, image, engine.run
        self.prefix = f"xf-ctr-{self.run}:"
        self.secret = secrets.token_urlsafe(36)
        self.databases = {s: f"xf_ctr_{self.run}_{s}" for s in SERVICES}
        self.ports = {s: free_port() for s in SERVICES}
        self.metrics_ports = {s: free_port() for s in SERVICES}
        self.urls = {s: f"http://127.0.0.1:{p}" for s, p in self.ports.items()}
        self.containers: dict[str, Container] = {}
        self.clients: list[campaign.Api] = []

    def environ(self, service: str | None = None, worker: bool = False) -> dict[str, str]:
        """What a container of ``service`` gets: the common settings and its own database only."""
        env = {"XIANFENG_ENV": "production", "XIANFENG_SECRET_KEY": self.secret,
               "XIANFENG_BROKER_URL": REDIS_URL, "XIANFENG_RESULT_BACKEND": REDIS_URL,
               "XIANFENG_BROKER_KEY_PREFIX": self.prefix, "XIANFENG_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
               "XIANFENG_BIND_HOST": "127.0.0.1",  # host network: stay on loopback
               "XIANFENG_WEB_WORKERS": "1", "XIANFENG_WORKER_CONCURRENCY": "1", "XIANFENG_LOG_LEVEL": "INFO",
               "XIANFENG_NOTIFY_CHUNK_SIZE": str(CHUNK)}
        for s in SERVICES:
            env[f"XIANFENG_{s.upper()}_PORT"] = str(self.ports[s])
            env[f"XIANFENG_{s.upper()}_URL"] = self.urls[s]
        if service:
            env[f"XIANFENG_{service.upper()}_DATABASE_URL"] = pg_url(self.databases[service])
        if worker:
            env["XIANFENG_METRICS_PORT"] = str(self.metrics_ports[service])
        return env

    def start(self, piece: str, command: list[str], environ: dict[str, str]) -> Container:
        container = self.engine.start(f"xf-{self.run}-{piece}", self.image, command, environ)
        self.containers[piece] = container
        return container

    def start_web(self, service: str, piece: str | None = None) -> Container:
        return self.start(piece or f"{service}-web", ["xianfeng", "serve", service], self.environ(service))

    def start_worker(self, service: str, piece: str | None = None) -> Container:
        return self.start(piece or f"{service}-worker", ["xianfeng", "worker", service],
                          self.environ(service, worker=True))

    @cached_property
    def control(self):
        """A Celery app on the run's broker, for remote-control pings of the workers."""
        return configure(make_celery("probe"), load(self.environ()))

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(REDIS_URL)

    def unacked(self, queue: str) -> list[str]:
        """Delivery tags of the messages of ``queue`` a worker has taken and not acknowledged yet."""
        with self.redis() as client:
            held = client.hgetall(self.prefix + "unacked")
        return [tag.decode() for tag, entry in held.items() if json.loads(entry)[2] == queue]

    def run_keys(self) -> list[bytes]:
        with self.redis() as client:
            return list(client.scan_iter(match=self.prefix + "*", count=1000))

    def web_ready(self, service: str) -> bool:
        try:
            return httpx.get(self.urls[service] + "/readyz", timeout=3).status_code == 200
        except httpx.HTTPError:
            return False

    def workers_answering(self, services=SERVICES, suffix: str = "") -> bool:
        nodes = {f"{s}@xf-{self.run}-{s}-worker{suffix}" for s in services}
        replies = self.control.control.ping(destination=sorted(nodes), timeout=1)
        return {name for reply in replies for name in reply} >= nodes

    def failed(self) -> str:
        """Exit codes and the last lines of every container, for a failure message."""
        out = []
        for piece, container in self.containers.items():
            state = container.state()
            out.append(f"--- {piece}: running={state['Running']} exit={state['ExitCode']}\n"
                       + "\n".join(container.logs().splitlines()[-15:]))
        return "\n".join(out)

    def api(self, **urls: str) -> campaign.Api:
        """A client of the public API (closed before the stop: gunicorn waits for idle keep-alive ones)."""
        self.clients.append(campaign.Api({**self.urls, **urls}, self.secret))
        return self.clients[-1]

    def close_clients(self) -> None:
        for api in self.clients:
            api.client.close()


def _wait(stack: Stack, predicate, timeout: float, what: str, interval: float = 0.5):
    try:
        return wait_for(predicate, timeout, interval=interval, what=what)
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{stack.failed()}") from None


@pytest.fixture(scope="module")
def stack(images):
    engine = Engine(uuid.uuid4().hex[:8])
    stack = Stack(engine, images["app"])
    for name in stack.databases.values():
        create_pg_database(name)
    try:
        t0 = time.monotonic()
        jobs = {s: stack.start(f"migrate-{s}", ["xianfeng", "migrate", s], stack.environ(s)) for s in SERVICES}
        codes = {s: job.wait(180) for s, job in jobs.items()}
        assert codes == dict.fromkeys(SERVICES, 0), stack.failed()
        for s, job in jobs.items():
            assert f"{s}: migrated to head" in job.logs()
        migrated = time.monotonic() - t0
        t1 = time.monotonic()
        for s in SERVICES:
            stack.start_web(s)
            stack.start_worker(s)
        stack.start("beat", ["xianfeng", "beat"], stack.environ())
        _wait(stack, lambda: all(stack.web_ready(s) for s in SERVICES), 120, "three /readyz 200")
        _wait(stack, stack.workers_answering, 120, "three workers answering a ping")
        note(f"pieces: 3 migration jobs done in {migrated:.1f} s; 3 web + 3 workers + beat started and ready "
             f"in {time.monotonic() - t1:.1f} s (host network, read-only, {VISIBILITY_TIMEOUT} s visibility)")
        yield stack
        _shut_down_and_check_nothing_is_left(stack)
    finally:
        engine.stop_all(timeout=5)
        engine.remove_all()
        for name in stack.databases.values():
            drop_pg_database(name)
        with stack.redis() as client:
            for key in stack.run_keys():
                client.delete(key)


def _shut_down_and_check_nothing_is_left(stack: Stack) -> None:
    """Stop everything as an orchestrator does (SIGTERM, warm shutdown), then prove nothing is left:
    containers, databases, work in Redis, keys under the run's prefix."""
    stack.close_clients()
    stack.control.close()
    running = [c for c in stack.containers.values() if c.running()]
    took = stack.engine.stop_all(timeout=30)
    codes = {c.name: c.state()["ExitCode"] for c in running}
    assert set(codes.values()) == {0}, codes  # gunicorn, celery worker and beat all stop cleanly
    with stack.redis() as client:  # no work was left behind by the warm shutdown
        assert [client.llen(stack.prefix + q) for q in SERVICES] == [0, 0, 0]
        assert client.hlen(stack.prefix + "unacked") == 0
    stack.engine.remove_all()
    assert stack.engine.names() == []
    for name in stack.databases.values():
        drop_pg_database(name)
    admin = create_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        left = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                            {"p": f"xf_ctr_{stack.run}_%"}).scalars().all()
    admin.dispose()
    assert left == []
    with stack.redis() as client:
        for key in stack.run_keys():  # bindings, results waiting for their expiry: nothing runs any more
            client.delete(key)
    assert stack.run_keys() == []
    note(f"stop: {len(running)} containers stopped in {took:.1f} s on SIGTERM, all exit 0; no container, "
         f"database or Redis key of the run left")


def test_every_piece_runs_alone_as_uid_10001_on_a_read_only_root_configured_by_xianfeng_variables(stack):
    image = json.loads(podman("image", "inspect", stack.image).stdout)[0]
    image_env = {e.split("=", 1)[0] for e in image["Config"]["Env"]} | {"container", "HOSTNAME", "HOME", "TERM"}
    for piece, container in stack.containers.items():
        info = container.inspect()
        assert info["Config"]["User"] == "10001:10001", piece
        assert info["HostConfig"]["ReadonlyRootfs"] is True, piece
        own = {e.split("=", 1)[0] for e in info["Config"]["Env"]} - image_env  # what the run gave it
        assert own and all(k.startswith("XIANFENG_") for k in own), (piece, own)
        databases = {k for k in own if k.endswith("_DATABASE_URL")}
        service = next((s for s in SERVICES if s in piece), None)
        assert databases == ({f"XIANFENG_{service.upper()}_DATABASE_URL"} if service else set()), piece
    web = stack.containers["pledge-web"].name
    assert podman("exec", web, "touch", "/opt/xianfeng/x", check=False).returncode != 0  # read-only
    assert podman("exec", web, "touch", "/var/lib/xianfeng/x", "/tmp/x", check=False).returncode == 0  # tmpfs
    assert podman("exec", web, "id", "-u").stdout.strip() == "10001"


def _k8s_probes() -> list[tuple[str, str, str, int | str]]:
    """``(deployment, probe, path, port)`` of every httpGet probe in deploy/k8s."""
    found = []
    for path in sorted((ROOT / "deploy" / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "Deployment":
                continue
            for c in doc["spec"]["template"]["spec"]["containers"]:
                ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
                for kind in ("readinessProbe", "livenessProbe"):
                    get = c.get(kind, {}).get("httpGet")
                    if get:
                        found.append((doc["metadata"]["name"], kind, get["path"], ports.get(get["port"], get["port"])))
    return found


def test_the_image_healthcheck_and_the_k8s_probes_answer_on_the_running_pieces(stack):
    for piece, container in stack.containers.items():
        if piece.startswith("migrate-"):
            assert not container.running()
            continue
        assert container.healthcheck() == 0, piece  # web: /healthz; worker: /metrics; beat: it runs
    probes = _k8s_probes()
    assert {d for d, *_ in probes} == {f"{s}-{k}" for s in SERVICES for k in ("web", "worker")}
    for deployment, kind, path, port in probes:
        service, component = deployment.split("-")
        # the container port of the manifest is the service's default port; here each piece has its own
        host_port = stack.ports[service] if component == "web" else stack.metrics_ports[service]
        assert port in (5001, 5002, 5003, 9808), (deployment, port)
        got = httpx.get(f"http://127.0.0.1:{host_port}{path}", timeout=5)
        assert got.status_code == 200, (deployment, kind, path, got.text[:300])
    # and it fails where nothing answers: the same check, inside a container, for a port without a server
    nobody = ["xianfeng-healthcheck", "xianfeng", "serve", "pledge", "--port", str(free_port())]
    assert podman("exec", stack.containers["pledge-web"].name, *nobody, check=False).returncode == 1


def test_a_migration_job_runs_again_safely(stack):
    again = stack.start("migrate-pledge-again", ["xianfeng", "migrate", "pledge"], stack.environ("pledge"))
    assert again.wait(120) == 0, again.logs()[-2000:]
    assert "pledge: migrated to head" in again.logs()


def test_a_short_campaign_plays_through_the_containers(stack):
    api = stack.api()
    year = campaign.Year(date.today())
    year.group = campaign.import_directory(api, year, campaign._quiet)  # orgs and people, copied to survey, notify
    campaign.set_carriers(api, year, campaign._quiet)
    campaign.make_pledges(api, year, campaign._quiet)
    campaign.review_and_publish(api, year, campaign._quiet)
    assert {p["state"] for p in year.pledges.values()} == {"published"} and len(year.pledges) == 8
    before = {p["id"]: campaign.invitation_tokens(api, p["id"]) for p in year.group.people.values()}
    opened = campaign.open_round(api, year, "three_way", "容器里的三测评", campaign._quiet)
    campaign.collect_invitations(api, year, "three_way", before, campaign._quiet)  # survey → notify → inboxes
    assert len(year.tokens["three_way"]) == opened["ballots"] > 0
    campaign.answer_ballots(api, year, campaign._quiet, on_page=None, page_ballots=0)
    campaign.close_and_read(api, year, campaign._quiet)  # the survey worker aggregates (a chord) to results
    results = year.results["three_way"]
    assert results and any(not r["suppressed"] for r in results)
    progress = api.call("GET", "survey", f"/api/v1/rounds/{opened['id']}/progress")
    assert progress["used"] == progress["issued"] == opened["ballots"]
    person = year.group.secretary("ZL1")
    sent = api.call("POST", "notify", "/api/v1/notifications", expect=202, json={
        "category": "general", "subject": "容器部署演练", "body": "每个进程一个容器",
        "recipients": {"person_ids": [person["id"]]}, "channels": ["inbox"]})
    _wait(stack, lambda: api.call("GET", "notify", f"/api/v1/notifications/{sent['id']}")["state"] == "done", 60,
          "the notification delivered")
    inbox = [i for i in campaign.inbox(api, person["id"]) if i["subject"] == "容器部署演练"]
    assert len(inbox) == 1 and inbox[0]["body"] == "每个进程一个容器"
    results_keys = [k for k in stack.run_keys() if b"celery-task-meta-" in k]
    assert results_keys, "the aggregation's chord stores its results under the run's prefix"


def _people_csv(org_code: str, n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["employee_no", "name", "org_code", "party_member", "joined_party_on", "roles", "email", "phone"])
    for i in range(n):
        writer.writerow([f"K{i:05d}", f"职工{i:05d}", org_code, "否", "", "", "", ""])
    return out.getvalue().encode()


def _task_runs(log: str, task: str) -> list[str]:
    """Task ids that a worker's log reports done (one ``task_done`` JSON line per run)."""
    runs = []
    for line in log.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("event") == "task_done" and event.get("task") == task and event.get("state") == "SUCCESS":
                runs.append(event["task_id"])
    return runs


def test_a_killed_worker_container_is_replaced_and_its_work_in_flight_finishes_exactly_once(stack):
    api = stack.api()
    org = api.call("POST", "pledge", "/api/v1/orgs", expect=201,
                   json={"name": "容器演练党委", "code": f"KILL{stack.run[:4]}", "kind": "committee"})
    job = api.call("POST", "pledge", "/api/v1/directory/import", expect=202,
                   files={"file": ("people.csv", _people_csv(org["code"], FANOUT), "text/csv")})
    done = _wait(stack, lambda: (j := api.call("GET", "pledge", f"/api/v1/jobs/{job['job_id']}"))["state"]
                 in ("done", "failed") and j, 180, "the import of the fan-out's people")
    assert done["state"] == "done" and not done["errors"], done
    everyone = api.call("GET", "pledge", "/api/v1/people?page_size=1")["total"]
    _wait(stack, lambda: api.call("GET", "notify", "/api/v1/directory/status")["people"] == everyone, 180,
          "the people in notify")

    worker = stack.containers["notify-worker"]
    earlier = set(_task_runs(worker.logs(), "notify.deliver"))  # the campaign's notifications
    sent = api.call("POST", "notify", "/api/v1/notifications", expect=202, json={
        "category": "general", "subject": f"演练 {stack.run}", "body": "一人一条",
        "recipients": {"org_id": org["id"], "subtree": True}, "channels": ["inbox"]})
    status = f"/api/v1/notifications/{sent['id']}"
    def mid_fanout() -> dict | None:  # a chunk delivered, and the worker holding the next one
        progress = api.call("GET", "notify", status)
        return progress if progress["delivered"] > 0 and stack.unacked("notify") else None

    _wait(stack, mid_fanout, 120, "the first chunk delivered and the next one taken", interval=0.05)
    worker.kill()  # SIGKILL mid fan-out: no warm shutdown, the message it held is never acknowledged
    assert worker.wait(30) == 137
    unacked = stack.unacked("notify")
    at_kill = api.call("GET", "notify", status)  # no notify worker runs now: what the killed one got done
    assert at_kill["state"] == "sending" and 0 < at_kill["delivered"] < FANOUT, at_kill  # work was in flight
    assert unacked  # what the killed worker held waits in Redis for the visibility timeout
    killed_log = worker.logs()

    t0 = time.monotonic()
    replacement = stack.start_worker("notify", piece="notify-worker-2")  # what an orchestrator does
    _wait(stack, lambda: stack.workers_answering(("notify",), suffix="-2"), 60, "the replacement answering")
    final = _wait(stack, lambda: (n := api.call("GET", "notify", status))["state"] == "done" and n, 180,
                  "the fan-out finished by the replacement")
    finished = time.monotonic() - t0
    assert final["delivered"] == final["total"] == FANOUT and final["failed"] == 0, final

    people = _all_people(api, org["id"])
    assert len(people) == FANOUT
    sample = people[::97] + people[CHUNK - 1:FANOUT:CHUNK] + people[CHUNK:FANOUT:CHUNK] + [people[-1]]
    for person_id in sample:  # one inbox item each: across chunk borders, before and after the kill
        mine = [i for i in campaign.inbox(api, person_id) if i["subject"] == f"演练 {stack.run}"]
        assert len(mine) == 1, (person_id, mine)
    with stack.redis() as client:
        assert client.llen(stack.prefix + "notify") == 0

    before = [t for t in _task_runs(killed_log, "notify.deliver") if t not in earlier]
    after = _task_runs(replacement.logs(), "notify.deliver")
    assert after  # the replacement finished what the killed worker held or had not taken yet
    assert len(set(before) | set(after)) == FANOUT // CHUNK  # every chunk ran to its end
    twice = len(set(before) & set(after))
    note(f"killed worker: SIGKILL (exit 137) with {at_kill['delivered']} of {FANOUT} inbox deliveries done, "
         f"{len(before)} of {FANOUT // CHUNK} chunks finished, {len(unacked)} message(s) unacknowledged")
    note(f"  its replacement ran {len(after)} chunk(s) ({twice} run twice), the unacknowledged one after the "
         f"{VISIBILITY_TIMEOUT} s visibility timeout, and finished {finished:.1f} s after the kill: delivered "
         f"{final['delivered']} = total, failed 0, one inbox item each for {len(sample)} people sampled")
    stack.containers.pop("notify-worker")


def _all_people(api: campaign.Api, org_id: int) -> list[int]:
    ids, page = [], 1
    while True:
        got = api.call("GET", "pledge", f"/api/v1/people?org_id={org_id}&subtree=1&page={page}&page_size=500")
        ids += [p["id"] for p in got["items"]]
        if page * 500 >= got["total"]:
            return sorted(ids)
        page += 1


def test_a_web_container_replaced_serves_the_same_data_and_a_second_replica_shares_it(stack):
    api = stack.api()
    orgs = api.call("GET", "pledge", "/api/v1/orgs?page_size=500")
    old = stack.containers.pop("pledge-web")
    old.kill()
    assert old.wait(30) == 137
    stack.start_web("pledge", piece="pledge-web-2")
    _wait(stack, lambda: stack.web_ready("pledge"), 90, "the replacement web ready")
    assert api.call("GET", "pledge", "/api/v1/orgs?page_size=500") == orgs  # stateless: all state is in PostgreSQL
    port = free_port()
    second = stack.start("survey-web-b", ["xianfeng", "serve", "survey", "--port", str(port)], stack.environ("survey"))
    replica = stack.api(survey=f"http://127.0.0.1:{port}")
    _wait(stack, lambda: second.healthcheck() == 0, 90, "the second survey replica healthy")
    assert replica.call("GET", "survey", "/api/v1/directory/status") \
        == api.call("GET", "survey", "/api/v1/directory/status")  # both replicas read the one database
