"""HTTP endpoints of the directory import: upload a file (a job is queued), read the job's progress."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.directory.importing import jobs, schemas
from shared.i18n import language
from shared.web.blueprint import Blueprint

blp = Blueprint("imports", __name__, url_prefix="/api/v1", description="目录导入 — bulk import of orgs and people")
IMPORTERS = ("admin", "org_admin", "system")


@blp.route("/directory/import")
class DirectoryImport(MethodView):
    @blp.authorize(*IMPORTERS)
    @blp.arguments(schemas.ImportFileSchema, location="files")
    @blp.response(202, schemas.JobCreatedSchema)
    @blp.answers(400, 413)
    @blp.transaction
    def post(self, files, *, principal, ctx):
        """Import orgs and people from CSV or XLSX (upsert by code / employee_no); runs as a job

        The file (multipart field `file`, at most the service's upload limit): an XLSX with a sheet `orgs`
        (or 组织) and/or a sheet `people` (or 人员), or a CSV (UTF-8, with or without BOM) holding one of
        the two, told apart by its header. Columns, by English key or Chinese header, in any order:

        | sheet | column | 表头 | required | values |
        | --- | --- | --- | --- | --- |
        | orgs | `code` | 组织编码 | yes | unique code, the upsert key |
        | orgs | `name` | 组织名称 | yes | |
        | orgs | `kind` | 类型 | yes | `committee` or `branch` (党委, 党总支 = committee; 党支部 = branch) |
        | orgs | `parent_code` | 上级组织编码 | no | a committee's code (in the file or known); empty: a root |
        | people | `employee_no` | 工号 | yes | the upsert key |
        | people | `name` | 姓名 | yes | |
        | people | `org_code` | 组织编码 | yes | code of the person's org |
        | people | `party_member` | 是否党员 | no | true/false, 是/否 |
        | people | `joined_party_on` | 入党日期 | no | YYYY-MM-DD |
        | people | `roles` | 职务 | no | comma-separated role keys or titles, e.g. `secretary` or 书记 |
        | people | `email` | 邮箱 | no | |
        | people | `phone` | 手机 | no | |

        Rows are numbered as a spreadsheet shows them (header = row 1); a bad row is reported in the job's
        `errors` as `{row, sheet, field, message}` and the others are imported. The answer's `job_id` is the
        id to poll with `GET /api/v1/jobs/{job_id}`.
        """
        upload = files["file"]
        job = jobs.create_job(ctx, principal, upload.filename or "", upload.read(), language())
        return {"job_id": job.id, "state": job.state}


@blp.route("/jobs/<string:job_id>")
class JobById(MethodView):
    @blp.authorize(*IMPORTERS)
    @blp.response(200, schemas.JobSchema)
    @blp.answers(404)
    @blp.transaction(read_only=True)
    def get(self, job_id: str, *, principal, ctx):
        """Progress of an import job: done/total and per-row errors"""
        return jobs.get_job(ctx.session, principal, job_id)


BLUEPRINTS = (blp,)
