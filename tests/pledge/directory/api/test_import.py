"""Bulk import of orgs and people (CSV, XLSX): bad files refused at once, bad rows reported, good rows kept."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest
from sqlalchemy import func, select

from services.pledge.models import Org, Person
from services.pledge.tasks import import_directory
from shared.messages import DirectoryChanged

ORGS_CSV = "组织编码,组织名称,类型,上级组织编码\nHG,集团党委,党委,\nZL1,炼钢一支部,党支部,ZL\nZL,转炉厂党委,党委,HG\n"
PEOPLE_CSV = (
    "employee_no,name,org_code,party_member,joined_party_on,roles,email,phone\n"
    "E1,张三,ZL1,是,2000-02-29,书记,zs@example.com,13800000000\n"
    "E2,李四,NOPE,否,,,,\n"
    "E3,王五,ZL1,maybe,2001/7/1,,bad-email,\n"
    "\n"
    "E4,赵六,ZL1,true,2099-01-01,,,\n"
    "E1,重复,ZL1,是,,,,\n"
    "E5,钱七,ZL,false,,\"secretary,组织委员\",,\n"
)


def upload(client, auth_headers, content: bytes, name: str = "people.csv", lang=None, role=("admin",), **kw):
    return client.post("/api/v1/directory/import", data={"file": (io.BytesIO(content), name)},
                       headers=auth_headers(*role, lang=lang, **kw), content_type="multipart/form-data")


def run(sent, client, auth_headers, response, role=("admin",), **kw) -> dict:
    """Run the queued job the way the worker would (the task by its message), then read the job."""
    assert response.status_code == 202, response.get_json()
    job_id = response.get_json()["job_id"]
    for message in sent.of("pledge.import_directory"):
        if message["job_id"] == job_id:
            import_directory.run(message)
    return client.get(f"/api/v1/jobs/{job_id}", headers=auth_headers(*role, **kw)).get_json()


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_csv_orgs_then_people_with_row_errors_in_the_request_language(pledge, pledge_client, auth_headers, sent):
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, ORGS_CSV.encode(), "orgs.csv"))
    assert job["state"] == "done" and job["done"] == job["total"] == 3 and job["errors"] == []
    assert job["created_orgs"] == 3
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, PEOPLE_CSV.encode(), lang="en"))
    assert job["state"] == "done" and job["total"] == 6 and job["done"] == 6 and job["created_people"] == 2
    errors = {(e["row"], e["field"]): e["message"] for e in job["errors"]}
    assert errors == {
        (3, "org_code"): "no org with code 'NOPE'",
        (4, "party_member"): "must be true/false or 是/否",
        (4, "email"): "not a valid email address",
        (6, "joined_party_on"): "date lies in the future",
        (7, "employee_no"): "duplicates row 2",
    }
    with pledge.db.session() as s:
        people = {p.employee_no: p for p in s.scalars(select(Person))}
        zl1 = s.scalar(select(Org).where(Org.code == "ZL1"))
        zl = s.scalar(select(Org).where(Org.code == "ZL"))
    assert set(people) == {"E1", "E5"} and zl1.parent_id == zl.id and zl1.path == f"{zl.path}{zl1.id}/"
    assert people["E1"].roles == ["secretary"] and str(people["E1"].joined_party_on) == "2000-02-29"
    assert people["E5"].roles == ["secretary", "organizer"] and people["E5"].party_member is False
    events = [DirectoryChanged.from_payload(m) for m in sent.of("notify.directory_changed")]
    assert sorted(p.employee_no for e in events for p in e.people) == ["E1", "E5"]


def test_xlsx_with_both_sheets_upserts_and_reruns_idempotently(pledge, pledge_client, auth_headers, sent):
    content = xlsx({
        "people": [["工号", "姓名", "组织编码", "是否党员", "入党日期", "职务"],
                   [1001, "张三", "B1", "是", "2008-02-29", "书记"], [1002, "李四", "B1", "否", None, None]],
        "orgs": [["组织编码", "组织名称", "类型"], ["G", "集团党委", "committee"], ["B1", "一支部", "branch"]],
    })
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, content, "dir.xlsx"))
    assert job["state"] == "done" and job["total"] == 4 and job["errors"] == [] and job["created_people"] == 2
    with pledge.db.session() as s:
        assert s.scalar(select(Person.roles).where(Person.employee_no == "1001")) == ["secretary"]
    renamed = xlsx({"people": [["employee_no", "name", "org_code"], ["1002", "李四（改）", "B1"]]})
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, renamed, "again.xlsx"))
    assert job["created_people"] == 0 and job["done"] == 1
    with pledge.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 2
        assert s.scalar(select(Person.name).where(Person.employee_no == "1002")) == "李四（改）"
    assert job["job_id"] == job["id"]  # one key, as the import answered it (``id`` kept as an alias)
    import_directory.run({"job_id": job["job_id"]})  # a redelivered message for a finished job does nothing
    assert pledge_client.get(f"/api/v1/jobs/{job['id']}", headers=auth_headers("admin")).get_json() == job


def test_reparenting_an_org_moves_its_subtree(pledge, pledge_client, auth_headers, sent):
    first = "code,name,kind,parent_code\nG,集团,committee,\nA,甲,committee,G\nB,乙,committee,G\nA1,甲一,branch,A\n"
    run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, first.encode(), "o.csv"))
    run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, b"employee_no,name,org_code\nP,x,A1\n"))
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, b"code,name,kind,parent_code\n"
                                                        b"A,\xe7\x94\xb2,committee,B\nB,b,committee,A\n", "o.csv"))
    assert [e["field"] for e in job["errors"]] == ["parent_code"]  # B under A would close a cycle
    with pledge.db.session() as s:
        orgs = {o.code: o for o in s.scalars(select(Org))}
        person = s.scalar(select(Person))
    assert orgs["A"].parent_id == orgs["B"].id
    assert orgs["A1"].path == f"{orgs['B'].path}{orgs['A'].id}/{orgs['A1'].id}/" and person.org_path == orgs["A1"].path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_branch_cannot_hold_an_org_in_the_import_either(pledge, pledge_client, auth_headers, sent, lang):
    """Like ``POST /orgs`` (``may_hold``): a row under a branch, new or moved there, is refused on its
    ``parent_code``; an org that holds orgs is not re-kinded to a branch; the rest of the file is kept."""
    first = "code,name,kind,parent_code\nG,集团,committee,\nA,甲,committee,G\nA1,甲一,branch,A\n"
    run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, first.encode(), "o.csv"), lang=lang)
    second = ("code,name,kind,parent_code\nB1,乙一,branch,G\nX,新,branch,A1\nY,在文件里,committee,B1\n"
              "A,甲,branch,G\nA1,甲一,branch,B1\nC,丙,committee,G\n")
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, second.encode(), "o.csv",
                                                        lang=lang), lang=lang)
    errors = {e["row"]: (e["field"], e["message"]) for e in job["errors"]}
    rule = "党支部下不能再设组织" if lang == "zh" else "a branch cannot hold an org"
    assert sorted(errors) == [3, 4, 5, 6], job["errors"]
    assert all(field == "parent_code" and rule in message for r, (field, message) in errors.items() if r != 5)
    assert errors[3][1].startswith("上级组织「A1」是党支部" if lang == "zh" else "'A1' is a branch")
    assert errors[5][0] == "kind" and rule in errors[5][1]  # A holds A1: it stays a committee
    assert job["created_orgs"] == 2  # B1 and C
    with pledge.db.session() as s:
        orgs = {o.code: o for o in s.scalars(select(Org))}
    assert set(orgs) == {"G", "A", "A1", "B1", "C"} and orgs["A"].kind == "committee"
    assert orgs["A1"].parent_id == orgs["A"].id


@pytest.mark.parametrize(("content", "name", "status", "key"), [
    (b"", "x.csv", 400, "import_empty"),
    (b"employee_no,name,org_code\n", "x.csv", 400, "import_empty"),
    (b"\x00\x01\x02binary", "x.bin", 400, "import_bad_file"),
    (b"PK\x03\x04not really a zip", "x.xlsx", 400, "import_bad_file"),
    (b"employee_no,name\nE1,x\n", "x.csv", 422, "import_missing_columns"),
    ("姓名,电话\n张三,1\n".encode(), "x.csv", 422, "import_unknown_header"),
])
def test_bad_files_are_refused_at_once(pledge_client, auth_headers, sent, content, name, status, key):
    response = upload(pledge_client, auth_headers, content, name)
    body = response.get_json()
    assert response.status_code == status and body["error"] == key, body
    assert sent.of("pledge.import_directory") == []


def test_missing_columns_are_named_in_english(pledge_client, auth_headers):
    body = upload(pledge_client, auth_headers, "工号,姓名\n1,x\n".encode(), lang="en").get_json()
    assert body["message"] == "Required columns are missing: org_code (组织编码)" and list(body["errors"]) == [
        "org_code"]


def test_gbk_csv_from_excel_is_read(pledge, pledge_client, auth_headers, sent):
    run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, b"code,name,kind\nG,G,committee\n"))
    job = run(sent, pledge_client, auth_headers,
              upload(pledge_client, auth_headers, "工号,姓名,组织编码\nE1,张三,G\n".encode("gbk")))
    assert job["errors"] == [] and job["created_people"] == 1


def test_upload_over_the_cap_is_413(pledge, settings, auth_headers):
    small = replace(settings, max_upload_bytes=1000)
    client = pledge.create_app(small).test_client()
    body = upload(client, auth_headers, b"employee_no,name,org_code\n" + b"E,x,G\n" * 400).get_json()
    assert body["code"] == 413 and body["error"] == "payload_too_large"


def test_zip_bomb_is_refused_before_parsing(pledge_client, auth_headers):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/sharedStrings.xml", b"\0" * 50_000_000)
    response = upload(pledge_client, auth_headers, out.getvalue(), "bomb.xlsx")
    assert response.status_code == 400 and response.get_json()["error"] == "import_zip_bomb"


def test_org_admin_imports_only_into_their_subtree(pledge, pledge_client, auth_headers, sent, tree):
    csv = "employee_no,name,org_code\nN1,新人,ZL1\nN2,外人,JH1\n".encode()
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, csv, role=("org_admin",),
                                                        org=tree.c1), role=("org_admin",), org=tree.c1)
    assert job["created_people"] == 1 and [(e["row"], e["field"]) for e in job["errors"]] == [(3, "org_code")]
    assert pledge_client.get(f"/api/v1/jobs/{job['id']}", headers=auth_headers("org_admin", org=tree.c2)
                             ).status_code == 403
    assert upload(pledge_client, auth_headers, csv, role=("member",), sub=tree.m1).status_code == 403


def test_only_silent_jobs_are_queued_again(pledge, pledge_client, auth_headers, sent):
    from datetime import timedelta

    from services.pledge.directory.importing.jobs import resume_stale, run_job
    from shared.db import utcnow

    job_id = upload(pledge_client, auth_headers, b"code,name,kind\nG,G,committee\n").get_json()["job_id"]
    assert resume_stale(pledge.unit_of_work) == 0  # just queued: its worker has it
    assert resume_stale(pledge.unit_of_work, utcnow() + timedelta(minutes=10)) == 1
    assert [m["job_id"] for m in sent.of("pledge.import_directory")] == [job_id, job_id]
    assert run_job(pledge.unit_of_work, job_id) == "done" and run_job(pledge.unit_of_work, job_id) == "done"
    assert resume_stale(pledge.unit_of_work, utcnow() + timedelta(minutes=10)) == 0


def test_import_reads_roles_through_the_one_vocabulary(pledge, pledge_client, auth_headers, sent):
    """Every committee title the importer meets is stored as its key; an unknown 职务 is a row error on roles."""
    run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, ORGS_CSV.encode(), "orgs.csv"))
    people = ("工号,姓名,组织编码,是否党员,入党日期,职务\n"
              "R1,甲,ZL1,是,,宣传委员\nR2,乙,ZL1,是,,纪检委员、副书记\nR3,丙,ZL1,是,,党委书记;委员\n"
              "R4,丁,ZL1,是,,厂长\nR5,戊,ZL1,否,,\n")
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, people.encode(), lang="en"))
    assert job["created_people"] == 4
    [error] = job["errors"]
    assert (error["row"], error["field"]) == (5, "roles") and "unknown role '厂长'" in error["message"]
    with pledge.db.session() as s:
        roles = dict(s.execute(select(Person.employee_no, Person.roles)).all())
    assert roles == {"R1": ["propaganda"], "R2": ["deputy_secretary", "discipline"],
                     "R3": ["secretary", "committee_member"], "R5": []}


def test_a_national_tree_imports_and_the_org_row_limit_is_a_setting(pledge, pledge_client, auth_headers, sent,
                                                                    monkeypatch):
    units = "".join(f"U{u},单位{u}党委,committee,HG\n" for u in range(20))
    branches = "".join(f"U{b % 20}B{b},第{b}支部,branch,U{b % 20}\n" for b in range(1180))
    content = f"code,name,kind,parent_code\n{branches}{units}HG,集团党委,committee,\n".encode()  # children first
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, content, "orgs.csv"))
    assert job["state"] == "done" and job["created_orgs"] == 1201 and job["errors"] == []
    batches = [DirectoryChanged.from_payload(m).orgs for m in sent.of("notify.directory_changed")]
    assert [len(b) for b in batches] == [1000, 201] and batches[0][0].code == "HG"  # bounded messages, parents first
    monkeypatch.setattr(pledge.runtime, "settings", replace(pledge.runtime.settings, import_max_org_rows=1200))
    job = run(sent, pledge_client, auth_headers, upload(pledge_client, auth_headers, content, "orgs.csv"))
    assert job["state"] == "failed" and "more than 1200 org rows" in job["message"], job
