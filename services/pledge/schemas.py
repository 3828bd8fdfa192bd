"""Request and response schemas of the pledge service."""

from __future__ import annotations

import marshmallow as ma

from shared.pagination import PageArgsSchema

ORG_KINDS = ("committee", "branch")


class OrgCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORG_KINDS))
    parent_id = ma.fields.Integer(load_default=None, allow_none=True)


class OrgSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    parent_id = ma.fields.Integer(allow_none=True)
    path = ma.fields.String()
    created_at = ma.fields.DateTime()


class OrgQueryArgsSchema(PageArgsSchema):
    parent_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(ORG_KINDS))
    q = ma.fields.String(validate=ma.validate.Length(max=100))
