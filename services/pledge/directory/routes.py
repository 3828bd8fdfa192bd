"""HTTP endpoints of the directory (thin: schema in, one use case, schema out) and the service's registration."""

from __future__ import annotations

import importlib
import importlib.util

from flask import Flask
from flask.views import MethodView
from flask_smorest import Blueprint

from services.pledge.app import service
from services.pledge.directory import orgs as uc
from services.pledge.directory import schemas
from services.pledge.directory.importing import jobs as import_job
from shared.auth import require
from shared.i18n import language
from shared.pagination import page_schema
from shared.web import Api

orgs = Blueprint("orgs", __name__, url_prefix="/api/v1/orgs", description="组织 — the organisation tree")
people = Blueprint("people", __name__, url_prefix="/api/v1/people", description="人员 — party members and employees")
imports = Blueprint("imports", __name__, url_prefix="/api/v1", description="目录导入 — bulk import of orgs and people")
READERS = ("admin", "org_admin", "member", "system")


@orgs.route("")
class Orgs(MethodView):
    @orgs.arguments(schemas.OrgQueryArgsSchema, location="query")
    @orgs.response(200, page_schema(schemas.OrgSchema))
    def get(self, args):
        """List orgs"""
        require(*READERS)
        with service.db.session() as s:
            return uc.list_orgs(s, args)

    @orgs.arguments(schemas.OrgCreateSchema)
    @orgs.response(201, schemas.OrgSchema)
    def post(self, data):
        """Create an org"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as s:
            return uc.create_org(s, principal, data)


@orgs.route("/<int:org_id>")
class OrgById(MethodView):
    @orgs.response(200, schemas.OrgSchema)
    def get(self, org_id: int):
        """One org"""
        require(*READERS)
        with service.db.session() as s:
            return uc.get_org(s, org_id)


@orgs.route("/<int:org_id>/tree")
class OrgTree(MethodView):
    @orgs.response(200, schemas.OrgTreeSchema)
    def get(self, org_id: int):
        """The org and its subtree, nested"""
        require(*READERS)
        with service.db.session() as s:
            return uc.org_tree(s, org_id)


@people.route("")
class People(MethodView):
    @people.arguments(schemas.PersonQueryArgsSchema, location="query")
    @people.response(200, page_schema(schemas.PersonSchema))
    def get(self, args):
        """List people of an org (``subtree=1``: and of every org below it)"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as s:
            return uc.list_people(s, principal, args)

    @people.arguments(schemas.PersonCreateSchema)
    @people.response(201, schemas.PersonSchema)
    def post(self, data):
        """Create a person"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as s:
            return uc.create_person(s, principal, data)


@people.route("/<int:person_id>")
class PersonById(MethodView):
    @people.response(200, schemas.PersonSchema)
    def get(self, person_id: int):
        """One person (themself, an admin over their org, or another system)"""
        principal = require(*READERS)
        with service.db.session() as s:
            return uc.get_person(s, principal, person_id)

    @people.arguments(schemas.PersonUpdateSchema)
    @people.response(200, schemas.PersonSchema)
    def patch(self, data, person_id: int):
        """Change a person: data, a transfer to another org, or leaving (``active: false``)"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as s:
            return uc.update_person(s, principal, person_id, data)


@imports.route("/directory/import")
class DirectoryImport(MethodView):
    @imports.arguments(schemas.ImportFileSchema, location="files")
    @imports.response(202, schemas.JobCreatedSchema)
    def post(self, files):
        """Import orgs and people from CSV or XLSX (upsert by code / employee_no); runs as a job"""
        principal = require("admin", "org_admin", "system")
        upload = files["file"]
        content = upload.read()
        with service.db.session() as s:
            job = import_job.create_job(s, principal, upload.filename or "", content, language())
            return {"job_id": job.id, "state": job.state}


@imports.route("/jobs/<string:job_id>")
class JobById(MethodView):
    @imports.response(200, schemas.JobSchema)
    def get(self, job_id: str):
        """Progress of an import job: done/total and per-row errors"""
        principal = require("admin", "org_admin", "system")
        with service.db.session() as s:
            return import_job.get_job(s, principal, job_id)


def register(app: Flask, api: Api) -> None:
    from services.pledge.ledger import pages as board
    from services.pledge.ledger import routes as ledger_api
    from services.pledge.pledges import routes as pledges_api

    for blp in (orgs, people, imports, *pledges_api.BLUEPRINTS, ledger_api.ledger):
        api.register_blueprint(blp)
    app.register_blueprint(board.board)
    _register_supervision(api)


def _register_supervision(api: Api) -> None:
    """The supervision endpoints (their own modules) register through ``supervision_api.register(api)``."""
    if importlib.util.find_spec("services.pledge.supervision.routes") is not None:
        importlib.import_module("services.pledge.supervision.routes").register(api)
