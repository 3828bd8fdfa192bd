"""A real ``xianfeng worker pledge`` runs the import job end to end, and survives being killed mid-job."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.pledge.directory.importing import jobs
from services.pledge.models import ImportJob, Person
from shared import auth
from shared.db import utcnow
from shared.testing.processes import wait_for

pytestmark = pytest.mark.e2e
ORGS = "code,name,kind,parent_code\nHG,集团党委,committee,\n" + "".join(
    f"B{b},第{b}支部,branch,HG\n" for b in range(20))


def _people(n: int) -> bytes:
    rows = "".join(f"W{i:06d},职工{i},B{i % 20},{'是' if i % 2 else '否'},2000-02-29\n" for i in range(n))
    return ("工号,姓名,组织编码,是否党员,入党日期\n" + rows).encode()


def _post(client, settings, content: bytes, name: str) -> str:
    token = auth.mint(settings.secret_key, roles=["admin"])
    response = client.post("/api/v1/directory/import", data={"file": (io.BytesIO(content), name)},
                           headers={"Authorization": f"Bearer {token}"}, content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    return response.get_json()["job_id"]


def _job(svc, job_id: str) -> ImportJob:
    with svc.db.session() as s:
        return s.get(ImportJob, job_id)


def test_worker_imports_and_a_killed_worker_finishes_the_job_after_restart(live, workers, live_settings):
    svc = live("pledge")
    client = svc.create_app(live_settings).test_client()
    worker = workers("pledge")
    orgs = _post(client, live_settings, ORGS.encode(), "orgs.csv")
    wait_for(lambda: _job(svc, orgs).state == "done", 60, what="orgs imported")

    n = 100_000  # big enough that the kill lands mid-job on an idle machine
    job_id = _post(client, live_settings, _people(n), "people.csv")
    wait_for(lambda: _job(svc, job_id).done > 0, 60, interval=0.02, what="first chunk")
    worker.kill()
    assert _job(svc, job_id).state == "running", "the job finished before the kill; nothing was tested"
    worker.start()
    # what the beat does after 5 silent minutes
    assert jobs.resume_stale(svc.unit_of_work, utcnow() + timedelta(minutes=10)) == 1
    job = wait_for(lambda: (j := _job(svc, job_id)).state == "done" and j, 180, what="job done after restart")
    assert job.done == job.total == n and job.error_count == 0
    with svc.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == n
