"""Request and response schemas of the directory: orgs and people."""

from __future__ import annotations

import marshmallow as ma

from shared import roles as role_table
from shared.pagination import PageArgsSchema

ORG_KINDS = ("committee", "branch")
ROLE_KEYS = {"enum": list(role_table.KEYS)}
ROLE_NAMES = {"enum": [*role_table.KEYS, *(r.title for r in role_table.ROLES)],
              "description": "a role key or its Chinese title (stored as the key)"}


class OrgCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORG_KINDS))
    parent_id = ma.fields.Integer(load_default=None, allow_none=True)


class OrgSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(ORG_KINDS)})
    parent_id = ma.fields.Integer(allow_none=True)
    path = ma.fields.String()
    created_at = ma.fields.DateTime()


class OrgTreeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(ORG_KINDS)})
    children = ma.fields.List(ma.fields.Nested(lambda: OrgTreeSchema()), required=True)


class OrgQueryArgsSchema(PageArgsSchema):
    parent_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(ORG_KINDS))
    q = ma.fields.String(validate=ma.validate.Length(max=100))


class PersonCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    employee_no = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    org_id = ma.fields.Integer(required=True)
    party_member = ma.fields.Boolean(load_default=False)
    joined_party_on = ma.fields.Date(load_default=None, allow_none=True)
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=32), metadata=ROLE_NAMES),
                           load_default=list,
                           validate=ma.validate.Length(max=20))
    email = ma.fields.Email(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    phone = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=32))


class PersonUpdateSchema(ma.Schema):
    """A transfer (org_id), a change of data, or leaving (``active: false``)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    org_id = ma.fields.Integer()
    party_member = ma.fields.Boolean()
    joined_party_on = ma.fields.Date(allow_none=True)
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=32), metadata=ROLE_NAMES),
                           validate=ma.validate.Length(max=20))
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=200))
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=32))
    active = ma.fields.Boolean()


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    employee_no = ma.fields.String(required=True)
    org_id = ma.fields.Integer(required=True)
    party_member = ma.fields.Boolean(required=True)
    joined_party_on = ma.fields.Date(allow_none=True)
    roles = ma.fields.List(ma.fields.String(metadata=ROLE_KEYS))
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()


class PersonQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()
    subtree = ma.fields.Boolean(load_default=False)
    party_member = ma.fields.Boolean()
    include_inactive = ma.fields.Boolean(load_default=False)
    q = ma.fields.String(validate=ma.validate.Length(max=100))
