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
        """Import orgs and people from CSV or XLSX (upsert by code / employee_no); runs as a job"""
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
