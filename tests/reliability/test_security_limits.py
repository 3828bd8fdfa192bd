"""Resource limits (issue 8, #17): page sizes, body sizes, zip bombs and 10^6-row files, ballot rate limits.

The big files run in a child process that uploads through the API and runs the import job as the worker
does, and reports its peak RSS (``VmHWM``), so the bound is the memory of the process doing the work.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .test_security_authz import SERVICES
from .test_security_world import assert_contract_error, build, operations, started

PEAK_RSS_BOUND_MB = 500

CHILD = r'''
import json, os, sys
from shared.auth import mint
from shared.service import discover
from shared.settings import load
from shared.testing.fakes import RecordingSender

settings = load(os.environ)
svc = discover()["pledge"]
svc.start(settings, sender=RecordingSender())
client = svc.create_app(settings).test_client()
headers = {"Authorization": "Bearer " + mint(settings.secret_key, roles=["admin"], sub="1")}
with open(sys.argv[1], "rb") as fh:
    r = client.post("/api/v1/directory/import", headers=headers, content_type="multipart/form-data",
                    data={"file": (fh, os.path.basename(sys.argv[1]))})
out = {"status": r.status_code, "body": r.get_json()}
if r.status_code == 202:
    from services.pledge.directory.importing import jobs
    jobs.run_job(svc.unit_of_work, r.get_json()["job_id"])
    out["job"] = client.get("/api/v1/jobs/" + r.get_json()["job_id"], headers=headers).get_json()
# VmHWM: this process image's own high-water mark (getrusage's maxrss would carry the forking pytest's
# RSS across exec, and pytest grows over a full run)
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
out["peak_rss_mb"] = int(hwm.split()[1]) // 1024
print("RESULT " + json.dumps(out, ensure_ascii=False))
'''


def import_in_child(path: Path, environ: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], env={**os.environ, **environ},
                          capture_output=True, text=True, timeout=600, cwd=Path(__file__).parents[2])
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    shown = {k: v for k, v in result.get("job", result["body"]).items() if k != "errors"}
    print(f"\n{path.name}: {result['status']} {shown} peak RSS {result['peak_rss_mb']} MB")
    return result


@pytest.mark.parametrize("name", SERVICES)
def test_every_list_caps_page_size_at_500(name, services, settings, sent, auth_headers):
    admin = auth_headers("admin")
    _, client, ids = build(services, name, settings, sent, admin)
    spec = client.get("/openapi.json").get_json()
    lists = [op for op in operations(client) if op.method == "get" and not op.public
             and any(p.get("name") == "page_size" for p in spec["paths"][op.path]["get"].get("parameters", []))]
    assert lists
    answered = 0
    for op in lists:
        response = client.get(op.url(ids) + "?page_size=100000", headers=admin)
        if response.status_code == 409:  # e.g. the results of a round still in draft
            continue
        assert response.status_code == 200, (str(op), response.get_json())
        assert response.get_json()["page_size"] == 500, str(op)
        answered += 1
    assert answered >= 1


@pytest.mark.parametrize("name", SERVICES)
def test_every_body_over_the_upload_cap_is_413_in_the_contract_shape(name, services, settings, sent, auth_headers):
    _, client = started(services, name, dataclasses.replace(settings, max_upload_bytes=10_000), sent)
    padding = "长" * 10_000
    for op in operations(client):
        if op.body_schema is None:
            continue
        headers = auth_headers("admin") if not op.public else {}
        response = client.open(op.url({p: 1 for p in op.params}), method=op.method.upper(),
                               json={"padding": padding}, headers=headers)
        body = assert_contract_error(response, 413)
        assert body["error"] == "payload_too_large", str(op)


def _xlsx_bomb(path: Path, inflated_mb: int) -> None:
    """A valid-looking workbook whose one sheet inflates to ``inflated_mb`` MB of rows (a few hundred KB zipped)."""
    row = b'<row><c t="inlineStr"><is><t>E1</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>' * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="people" sheetId="1" r:id="rId1"/></sheets>'
                                      '</workbook>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet><sheetData><row><c t="inlineStr"><is><t>employee_no</t></is></c></row>')
            for _ in range(inflated_mb * 1024 * 1024 // len(row)):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")


def test_an_xlsx_zip_bomb_is_refused_with_bounded_memory(test_environ, tmp_path):
    path = tmp_path / "bomb.xlsx"
    _xlsx_bomb(path, 250)
    assert path.stat().st_size < 3_000_000
    result = import_in_child(path, test_environ)
    assert result["status"] == 400 and result["body"]["error"] == "import_zip_bomb"
    assert result["peak_rss_mb"] < PEAK_RSS_BOUND_MB


def million_rows(path: Path, header: str, row: str) -> Path:
    with open(path, "w") as fh:
        fh.write(header + "\n")
        fh.writelines(row.format(i=i) + "\n" for i in range(1_000_000))
    return path


def test_a_million_people_rows_end_done_with_bounded_memory(test_environ, tmp_path):
    """10^6 rows whose org is unknown: every row read and judged, the first 1,000 errors kept."""
    path = million_rows(tmp_path / "people.csv", "employee_no,name,org_code", "E{i:07d},某{i},NOPE")
    result = import_in_child(path, test_environ)
    job = result["job"]
    assert (job["state"], job["done"], job["total"], len(job["errors"])) == ("done", 10**6, 10**6, 1000)
    assert result["peak_rss_mb"] < PEAK_RSS_BOUND_MB


def test_a_million_org_rows_fail_at_once_with_a_clear_message(test_environ, tmp_path):
    path = million_rows(tmp_path / "orgs.csv", "code,name,kind,parent_code", "O{i:07d},支部{i},branch,")
    result = import_in_child(path, test_environ)
    job = result["job"]
    assert job["state"] == "failed" and "org rows" in job["message"] and job["created_orgs"] == 0
    assert result["peak_rss_mb"] < PEAK_RSS_BOUND_MB


def test_ballot_reads_and_submissions_are_rate_limited_in_the_contract_shape(services, settings, sent):
    settings = dataclasses.replace(settings, survey_ballot_rate_limit="5/minute")
    _, client = started(services, "survey", settings, sent)
    answers = {"answers": [{"target_type": "person", "target_id": 1, "dimension": "awareness", "score": 4}]}
    codes = [client.post(f"/api/v1/ballots/{'t' * 20}{n}", json=answers).status_code for n in range(5)]
    assert codes == [404] * 5  # unknown tokens, each its own: only the per-address limit counts
    for call in (lambda: client.post("/api/v1/ballots/" + "u" * 21, json=answers),
                 lambda: client.get("/api/v1/ballots/" + "v" * 21)):
        body = assert_contract_error(call(), 429)
        assert body["error"] == "rate_limited"
    assert client.get("/healthz").status_code == 200  # only ballots are limited
