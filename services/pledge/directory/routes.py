"""HTTP endpoints of orgs and people (thin: who may call, schema in, one use case, schema out)."""

from __future__ import annotations

from flask.views import MethodView

from services.pledge.directory import lookups, orgs, people, schemas
from shared.pagination import page_schema
from shared.web.blueprint import Blueprint

org_blp = Blueprint("orgs", __name__, url_prefix="/api/v1/orgs", description="组织 — the organisation tree")
people_blp = Blueprint("people", __name__, url_prefix="/api/v1/people",
                       description="人员 — party members and employees")
READERS = ("admin", "org_admin", "member", "system")
WRITERS = ("admin", "org_admin", "system")


@org_blp.route("")
class Orgs(MethodView):
    @org_blp.authorize(*READERS)
    @org_blp.arguments(schemas.OrgQueryArgsSchema, location="query")
    @org_blp.response(200, page_schema(schemas.OrgSchema))
    @org_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List orgs"""
        return orgs.list_orgs(ctx.session, args)

    @org_blp.authorize(*WRITERS)
    @org_blp.arguments(schemas.OrgCreateSchema)
    @org_blp.response(201, schemas.OrgSchema)
    @org_blp.answers(409)
    @org_blp.transaction
    def post(self, data, *, principal, ctx):
        """Create an org"""
        return orgs.create_org(ctx, principal, data)


@org_blp.route("/<int:org_id>")
class OrgById(MethodView):
    @org_blp.authorize(*READERS)
    @org_blp.response(200, schemas.OrgSchema)
    @org_blp.answers(404)
    @org_blp.transaction(read_only=True)
    def get(self, org_id: int, *, principal, ctx):
        """One org"""
        return lookups.get_org(ctx.session, org_id)


@org_blp.route("/<int:org_id>/tree")
class OrgTree(MethodView):
    @org_blp.authorize(*READERS)
    @org_blp.response(200, schemas.OrgTreeSchema)
    @org_blp.answers(404)
    @org_blp.transaction(read_only=True)
    def get(self, org_id: int, *, principal, ctx):
        """The org and its subtree, nested"""
        return orgs.org_tree(ctx.session, org_id)


@people_blp.route("")
class People(MethodView):
    @people_blp.authorize(*WRITERS)
    @people_blp.arguments(schemas.PersonQueryArgsSchema, location="query")
    @people_blp.response(200, page_schema(schemas.PersonSchema))
    @people_blp.answers(404)
    @people_blp.transaction(read_only=True)
    def get(self, args, *, principal, ctx):
        """List people of an org (``subtree=1``: and of every org below it)"""
        return people.list_people(ctx.session, principal, args)

    @people_blp.authorize(*WRITERS)
    @people_blp.arguments(schemas.PersonCreateSchema)
    @people_blp.response(201, schemas.PersonSchema)
    @people_blp.answers(409)
    @people_blp.transaction
    def post(self, data, *, principal, ctx):
        """Create a person"""
        return people.create_person(ctx, principal, data)


@people_blp.route("/<int:person_id>")
class PersonById(MethodView):
    @people_blp.authorize(*READERS)
    @people_blp.response(200, schemas.PersonSchema)
    @people_blp.answers(404)
    @people_blp.transaction(read_only=True)
    def get(self, person_id: int, *, principal, ctx):
        """One person (themself, an admin over their org, or another system)"""
        return people.get_person(ctx.session, principal, person_id)

    @people_blp.authorize(*WRITERS)
    @people_blp.arguments(schemas.PersonUpdateSchema)
    @people_blp.response(200, schemas.PersonSchema)
    @people_blp.answers(404)
    @people_blp.transaction
    def patch(self, data, person_id: int, *, principal, ctx):
        """Change a person: data, a transfer to another org, or leaving (``active: false``)"""
        return people.update_person(ctx, principal, person_id, data)


BLUEPRINTS = (org_blp, people_blp)
