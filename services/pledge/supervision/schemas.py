"""Request and response schemas of supervision: inspections, comments, demo sites, contact points."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.pledge.directory.domain.rules import MAX_ID
from services.pledge.supervision.domain import rules
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema

TEXT_MAX = 5000


def _text(required: bool = True, max_len: int = TEXT_MAX, **kw) -> ma.fields.String:
    return ma.fields.String(required=required, validate=v.Length(min=1 if required else 0, max=max_len), **kw)


def _id(**kw) -> ma.fields.Integer:
    """A row id: a positive 32-bit integer (larger numbers name nothing and must not reach the database)."""
    return ma.fields.Integer(validate=v.Range(min=1, max=MAX_ID), **kw)


def _year(**kw) -> ma.fields.Integer:
    return ma.fields.Integer(validate=v.Range(min=2000, max=2100), **kw)


class OrgScopedQueryArgsSchema(PageArgsSchema):
    org_id = _id()
    subtree = ma.fields.Boolean(load_default=False)


# ---- inspections ---------------------------------------------------------------------------
class InspectionCreateSchema(ma.Schema):
    org_id = _id(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(rules.INSPECTION_KINDS))
    visited_on = ma.fields.Date(required=True)
    inspector_id = _id(required=True)
    findings = _text()
    rating = ma.fields.Integer(required=True, validate=v.Range(min=rules.RATING_MIN, max=rules.RATING_MAX))
    pledge_ids = ma.fields.List(_id(), load_default=list, validate=v.Length(max=200))


class InspectionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(rules.INSPECTION_KINDS)})
    visited_on = ma.fields.Date(required=True)
    inspector_id = ma.fields.Integer(required=True)
    findings = ma.fields.String(required=True)
    rating = ma.fields.Integer(required=True)
    pledge_ids = ma.fields.List(ma.fields.Integer(), required=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class InspectionQueryArgsSchema(OrgScopedQueryArgsSchema):
    kind = ma.fields.String(validate=v.OneOf(rules.INSPECTION_KINDS))
    pledge_id = _id()
    visited_from = ma.fields.Date()
    visited_to = ma.fields.Date()


# ---- quarterly comments --------------------------------------------------------------------
class CommentCreateSchema(ma.Schema):
    year = _year(required=True)
    quarter = ma.fields.Integer(required=True, validate=v.Range(min=1, max=4))
    author_id = _id(load_default=None, allow_none=True)
    text = _text()


class CommentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    year = ma.fields.Integer(required=True)
    quarter = ma.fields.Integer(required=True)
    author_id = ma.fields.Integer(allow_none=True)
    text = ma.fields.String(required=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class CommentQueryArgsSchema(PageArgsSchema):
    year = _year()
    quarter = ma.fields.Integer(validate=v.Range(min=1, max=4))
    subtree = ma.fields.Boolean(load_default=False)


class AwaitingCommentQueryArgsSchema(PageArgsSchema):
    year = _year()
    quarter = ma.fields.Integer(validate=v.Range(min=1, max=4))
    kind = ma.fields.String(validate=v.OneOf(("committee", "branch")))


class OrgBriefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": ["committee", "branch"]})
    parent_id = ma.fields.Integer(allow_none=True)


# ---- demonstration sites -------------------------------------------------------------------
class GoalsSchema(ma.Schema):
    party_building = _text(required=False, max_len=2000)
    management = _text(required=False, max_len=2000)
    economic = _text(required=False, max_len=2000)


class DemoSiteCreateSchema(ma.Schema):
    org_id = _id(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(rules.SITE_KINDS))
    name = _text(required=False, max_len=200)
    post_name = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=200))
    level = ma.fields.String(required=True, validate=v.OneOf(rules.SITE_LEVELS))
    year = _year(load_default=None, allow_none=True)
    goals = ma.fields.Nested(GoalsSchema, load_default=dict)

    @ma.validates_schema
    def _post_needs_a_name(self, data: dict, **_kw) -> None:
        if data.get("kind") == "post" and not data.get("post_name"):
            raise ma.ValidationError(bilingual("岗位示范点须填写岗位名称", "a post site needs post_name"),
                                     field_name="post_name")


class LineProgressSchema(ma.Schema):
    months = ma.fields.Integer(required=True)
    latest = ma.fields.Float(allow_none=True)
    mean = ma.fields.Float(allow_none=True)
    trend = ma.fields.Float(allow_none=True)


class ActionCompletionSchema(ma.Schema):
    total = ma.fields.Integer(required=True)
    done = ma.fields.Integer(required=True)
    overdue = ma.fields.Integer(required=True)
    rate = ma.fields.Float(allow_none=True)


class DemoSiteSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    org_name = ma.fields.String()
    kind = ma.fields.String(required=True, metadata={"enum": list(rules.SITE_KINDS)})
    name = ma.fields.String(required=True)
    post_name = ma.fields.String(allow_none=True)
    level = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    goals = ma.fields.Nested(GoalsSchema)
    created_at = ma.fields.DateTime()


class DemoSiteDetailSchema(DemoSiteSchema):
    progress = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(LineProgressSchema))
    lagging_lines = ma.fields.List(ma.fields.String())
    actions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ActionCompletionSchema))


class DemoSiteQueryArgsSchema(OrgScopedQueryArgsSchema):
    level = ma.fields.String(validate=v.OneOf(rules.SITE_LEVELS))
    kind = ma.fields.String(validate=v.OneOf(rules.SITE_KINDS))
    year = _year()


class ActionCreateSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=v.OneOf(rules.ACTION_KINDS))
    line = ma.fields.String(required=True, validate=v.OneOf(rules.LINES))
    title = _text(max_len=200)
    description = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=TEXT_MAX))
    due_on = ma.fields.Date(load_default=None, allow_none=True)


class ActionCompleteSchema(ma.Schema):
    done_on = ma.fields.Date(required=True)
    note = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=TEXT_MAX))


class ActionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    site_id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(rules.ACTION_KINDS)})
    line = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True)
    due_on = ma.fields.Date(allow_none=True)
    done_on = ma.fields.Date(allow_none=True)
    note = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class ActionQueryArgsSchema(PageArgsSchema):
    kind = ma.fields.String(validate=v.OneOf(rules.ACTION_KINDS))
    line = ma.fields.String(validate=v.OneOf(rules.LINES))


def _score(**kw) -> ma.fields.Float:
    return ma.fields.Float(validate=v.Range(min=0, max=rules.LINE_SCORE_MAX), allow_nan=False, **kw)


class EvaluationCreateSchema(ma.Schema):
    year = _year(required=True)
    month = ma.fields.Integer(required=True, validate=v.Range(min=1, max=12))
    party_building = _score(required=True)
    management = _score(required=True)
    economic = _score(required=True)
    evaluator_id = _id(load_default=None, allow_none=True)
    comment = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=TEXT_MAX))


class EvaluationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    site_id = ma.fields.Integer(required=True)
    year = ma.fields.Integer(required=True)
    month = ma.fields.Integer(required=True)
    party_building = ma.fields.Float(required=True)
    management = ma.fields.Float(required=True)
    economic = ma.fields.Float(required=True)
    overall = ma.fields.Float(required=True)
    evaluator_id = ma.fields.Integer(allow_none=True)
    comment = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class EvaluationQueryArgsSchema(PageArgsSchema):
    year = _year()


# ---- contact points ------------------------------------------------------------------------
class ContactPointCreateSchema(ma.Schema):
    leader_id = _id(required=True)
    org_id = _id(required=True)
    since = ma.fields.Date(load_default=None, allow_none=True)
    note = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(max=TEXT_MAX))


class ContactPointSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    leader_id = ma.fields.Integer(required=True)
    leader_name = ma.fields.String()
    org_id = ma.fields.Integer(required=True)
    org_name = ma.fields.String()
    since = ma.fields.Date(allow_none=True)
    note = ma.fields.String(allow_none=True)
    visits = ma.fields.Integer()
    last_visited_on = ma.fields.Date(allow_none=True)
    created_at = ma.fields.DateTime()


class ContactPointQueryArgsSchema(OrgScopedQueryArgsSchema):
    leader_id = _id()


class VisitCreateSchema(ma.Schema):
    visited_on = ma.fields.Date(required=True)
    notes = _text()


class VisitSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    contact_point_id = ma.fields.Integer(required=True)
    visited_on = ma.fields.Date(required=True)
    notes = ma.fields.String(required=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class VisitQueryArgsSchema(PageArgsSchema):
    visited_from = ma.fields.Date()
    visited_to = ma.fields.Date()


class ContactCountQueryArgsSchema(OrgScopedQueryArgsSchema):
    group_by = ma.fields.String(load_default="leader", validate=v.OneOf(rules.COUNT_GROUPS))
    visited_from = ma.fields.Date()
    visited_to = ma.fields.Date()


class ContactCountSchema(ma.Schema):
    group_by = ma.fields.String(required=True)
    id = ma.fields.Integer(required=True, metadata={"description": "leader id, org id or unit (org) id"})
    name = ma.fields.String(required=True)
    contact_points = ma.fields.Integer(required=True)
    visits = ma.fields.Integer(required=True)
