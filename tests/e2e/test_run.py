"""``xianfeng run`` as a user starts it: three services, workers, beat, an embedded broker; Ctrl-C stops all."""

import time

import httpx
import pytest

from e2e.clients import SERVICES, client, play_campaign
from e2e.helpers import admin_headers, urls_of
from shared import auth
from shared.settings import DEFAULT_SECRET
from shared.testing.processes import READY_PREFIX, RunProcess, processes_using, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.broker]


def test_run_starts_everything_carries_a_message_plays_a_campaign_and_stops_cleanly(tmp_path, run_environ,
                                                                                     generated_clients):
    """Besides one org carried to survey and notify, the short campaign through the generated clients (as in
    tests/shared/test_generated_clients.py): here on the run's web processes, its workers and broker."""
    data_dir = tmp_path / "xf-run"
    env = run_environ(data_dir)
    urls = urls_of(env)
    started = time.monotonic()
    run = RunProcess(env, tmp_path / "run.log").start()
    try:
        line = run.wait_ready()
        print(f"ready after {time.monotonic() - started:.1f} s")
        assert all(url in line for url in urls.values()), line  # the URLs are on the ready line
        assert all(httpx.get(u + "/readyz", timeout=5).status_code == 200 for u in urls.values())
        headers = admin_headers(env)
        resp = httpx.post(urls["pledge"] + "/api/v1/orgs", headers=headers, timeout=10,
                          json={"name": "集团党委", "code": "HG", "kind": "committee"})
        assert resp.status_code == 201, resp.text
        for name in ("survey", "notify"):
            wait_for(lambda n=name: httpx.get(urls[n] + "/api/v1/directory/status", headers=headers,
                                              timeout=5).json().get("orgs") == 1,
                     30, interval=0.3, what=f"org in {name}'s directory")
        campaign = time.monotonic()
        secret = env.get("XIANFENG_SECRET_KEY", DEFAULT_SECRET)
        admin = auth.mint(secret, roles=("admin",), ttl=600)
        api = {name: client(generated_clients[name], urls[name], admin) for name in SERVICES}
        member = lambda person_id: client(generated_clients["notify"], urls["notify"], auth.mint(  # noqa: E731
            secret, roles=("member",), sub=str(person_id), ttl=600))
        play_campaign(api, member, lambda predicate, what: wait_for(predicate, 30, interval=0.2, what=what))
        print(f"campaign through the generated clients: {time.monotonic() - campaign:.1f} s")
    finally:
        code = run.stop(60)  # Ctrl-C
    assert code == 0, run.log()[-4000:]
    assert sum(line.startswith(READY_PREFIX) for line in run.lines()) == 1
    wait_for(lambda: not processes_using(str(data_dir)), 10, what="no process left behind")
