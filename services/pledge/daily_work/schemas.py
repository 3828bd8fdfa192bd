"""Request and response schemas of daily work: zones, checks, incidents, posts, volunteering, mentorships."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import validate as v

from services.pledge.daily_work.domain import service, zones
from services.pledge.directory.domain.rules import MAX_ID
from shared.pagination import PageArgsSchema


def _id(**kw) -> ma.fields.Integer:
    return ma.fields.Integer(validate=v.Range(min=1, max=MAX_ID), **kw)


def _text(max_len: int, required: bool = True, **kw) -> ma.fields.String:
    return ma.fields.String(required=required, validate=v.Length(min=1, max=max_len), **kw)


class OrgScopedQueryArgsSchema(PageArgsSchema):
    org_id = _id()
    subtree = ma.fields.Boolean(load_default=False)


# ---- zones ---------------------------------------------------------------------------------
class ZoneCreateSchema(ma.Schema):
    org_id = _id(required=True)
    name = _text(200)
    kind = ma.fields.String(required=True, validate=v.OneOf(zones.ZONE_KINDS))
    holder_ids = ma.fields.List(_id(), required=True, validate=v.Length(min=1, max=100))
    guarantees = ma.fields.List(_text(100), load_default=None, validate=v.Length(max=20),
                                metadata={"description": "five_s defaults to the five guarantees of the 5S zone: "
                                                         + ", ".join(zones.FIVE_S)})
    since = ma.fields.Date(load_default=None, metadata={"description": "the zone's start (default today)"})
    check_every_days = ma.fields.Integer(load_default=None, validate=v.Range(min=1, max=366),
                                         metadata={"description": "a check is due this often (default 30)"})


class ZoneCheckCreateSchema(ma.Schema):
    checked_on = ma.fields.Date(required=True)
    results = ma.fields.Dict(keys=ma.fields.String(validate=v.Length(min=1, max=100)),
                             values=ma.fields.Boolean(required=True), required=True,
                             metadata={"description": "{<guarantee>: true|false}, one per guarantee of the zone"})
    note = _text(5000, required=False, load_default=None, allow_none=True)


class ZoneCheckSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    zone_id = ma.fields.Integer(required=True)
    checked_on = ma.fields.Date(required=True)
    results = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Boolean(), required=True)
    passed = ma.fields.Boolean(required=True)
    note = ma.fields.String(allow_none=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class ZoneIncidentCreateSchema(ma.Schema):
    occurred_on = ma.fields.Date(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(zones.INCIDENT_KINDS))
    note = _text(5000, required=False, load_default=None, allow_none=True)


class ZoneIncidentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    zone_id = ma.fields.Integer(required=True)
    occurred_on = ma.fields.Date(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(zones.INCIDENT_KINDS))
    note = ma.fields.String(allow_none=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class ZoneSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(zones.ZONE_KINDS))
    holder_ids = ma.fields.List(ma.fields.Integer(), required=True)
    guarantees = ma.fields.List(ma.fields.String(), required=True)
    guarantee_labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    since = ma.fields.Date(required=True)
    check_every_days = ma.fields.Integer(required=True)
    days_without_incident = ma.fields.Integer(required=True, metadata={"description": "党员身边无事故"})
    last_incident_on = ma.fields.Date(allow_none=True)
    last_check = ma.fields.Nested(ZoneCheckSchema, allow_none=True)
    checks_passed = ma.fields.Integer(required=True)
    checks_total = ma.fields.Integer(required=True)
    next_check_due = ma.fields.Date(required=True)
    created_at = ma.fields.DateTime()


class ZoneQueryArgsSchema(OrgScopedQueryArgsSchema):
    kind = ma.fields.String(validate=v.OneOf(zones.ZONE_KINDS))


# ---- posts and badges ----------------------------------------------------------------------
class PostCreateSchema(ma.Schema):
    org_id = _id(required=True)
    title = _text(200)
    kind = ma.fields.String(required=True, validate=v.OneOf(service.POST_KINDS))
    holder_id = _id(required=True)
    since = ma.fields.Date(required=True)
    until = ma.fields.Date(load_default=None, allow_none=True)


class PostEndSchema(ma.Schema):
    until = ma.fields.Date(required=True)


class PostSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(service.POST_KINDS))
    holder_id = ma.fields.Integer(required=True)
    holder_name = ma.fields.String(allow_none=True)
    since = ma.fields.Date(required=True)
    until = ma.fields.Date(allow_none=True)
    active = ma.fields.Boolean(required=True, metadata={"description": "on duty today"})
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class PostQueryArgsSchema(OrgScopedQueryArgsSchema):
    active = ma.fields.Boolean(metadata={"description": "1: on duty today; 0: not (yet, or any more)"})
    kind = ma.fields.String(validate=v.OneOf(service.POST_KINDS))
    holder_id = _id()


# ---- volunteer service ---------------------------------------------------------------------
class VolunteeringCreateSchema(ma.Schema):
    org_id = _id(required=True)
    title = _text(200)
    kind = ma.fields.String(required=True, validate=v.OneOf(service.VOLUNTEER_KINDS))
    on = ma.fields.Date(required=True)
    hours = ma.fields.Float(required=True, validate=v.Range(min=0, min_inclusive=False, max=service.MAX_HOURS),
                            metadata={"description": "hours each participant gave"})
    person_ids = ma.fields.List(_id(), required=True, validate=v.Length(min=1, max=500))


class VolunteeringSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(service.VOLUNTEER_KINDS))
    on = ma.fields.Date(required=True)
    hours = ma.fields.Float(required=True)
    person_ids = ma.fields.List(ma.fields.Integer(), required=True)
    person_hours = ma.fields.Float(required=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class VolunteerTotalsSchema(ma.Schema):
    hours = ma.fields.Float(required=True, metadata={"description": "person-hours"})
    people = ma.fields.Integer(required=True)
    activities = ma.fields.Integer(required=True)


class VolunteeringPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(VolunteeringSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    page_size = ma.fields.Integer(required=True)
    totals = ma.fields.Nested(VolunteerTotalsSchema, required=True)


class VolunteeringQueryArgsSchema(OrgScopedQueryArgsSchema):
    person_id = _id()
    year = ma.fields.Integer(validate=v.Range(min=2000, max=2100))
    kind = ma.fields.String(validate=v.OneOf(service.VOLUNTEER_KINDS))


# ---- 一助一 ----------------------------------------------------------------------------------
class MentorshipCreateSchema(ma.Schema):
    mentor_id = _id(required=True)
    mentee_id = _id(required=True)
    skill = _text(200)
    since = ma.fields.Date(required=True)
    until = ma.fields.Date(load_default=None, allow_none=True)


class MentorshipSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    mentor_id = ma.fields.Integer(required=True)
    mentor_name = ma.fields.String(allow_none=True)
    mentee_id = ma.fields.Integer(required=True)
    mentee_name = ma.fields.String(allow_none=True)
    org_id = ma.fields.Integer(required=True, metadata={"description": "the mentor's org"})
    skill = ma.fields.String(required=True)
    since = ma.fields.Date(required=True)
    until = ma.fields.Date(allow_none=True)
    active = ma.fields.Boolean(required=True)
    created_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()


class MentorshipQueryArgsSchema(OrgScopedQueryArgsSchema):
    person_id = _id(metadata={"description": "pairs where this person mentors or is mentored"})
    active = ma.fields.Boolean()


# ---- member photos -------------------------------------------------------------------------
class PhotoUploadSchema(ma.Schema):
    file = Upload(load_default=None, metadata={"description": "JPEG or PNG, at most 2 MB"})


class PhotoSchema(ma.Schema):
    person_id = ma.fields.Integer(required=True)
    width = ma.fields.Integer(required=True)
    height = ma.fields.Integer(required=True)
    bytes = ma.fields.Integer(required=True, metadata={"description": "size of the re-encoded JPEG"})
    content_type = ma.fields.String(required=True)
    updated_at = ma.fields.DateTime()
