"""Request and response schemas of the directory: orgs and people."""

from __future__ import annotations

import marshmallow as ma

from shared import roles as vocabulary
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema

ORG_KINDS = ("committee", "branch")


UNKNOWN_ROLE = bilingual("未知职务：请填写 书记、副书记、组织委员、宣传委员、纪检委员、委员 等或其英文键",
                         "unknown role: use secretary (书记), deputy_secretary (副书记), organizer (组织委员), "
                         "propaganda (宣传委员), discipline (纪检委员), committee_member (委员) …")


class RoleName(ma.fields.String):
    """One role (职务), given by its key or its Chinese title (``书记`` → ``secretary``): loads as the key
    of ``shared.roles``; anything else is refused (422 naming ``roles.<index>``)."""

    def __init__(self, **kwargs):
        names = [name for r in vocabulary.ROLES for name in (r.key, r.title)]
        super().__init__(validate=ma.validate.Length(min=1, max=32),
                         metadata={"enum": names, "description": "a role key or its Chinese title"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        key = vocabulary.role_key(text)
        if key is None:
            raise ma.ValidationError(UNKNOWN_ROLE)
        return key


def _distinct(keys: list[str]) -> list[str]:
    return [k for k in vocabulary.KEYS if k in set(keys)]


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


class OrgTreeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    code = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
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
    roles = ma.fields.List(RoleName(), load_default=list, validate=ma.validate.Length(max=20))
    email = ma.fields.Email(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    phone = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=32))

    @ma.post_load
    def _canonical_roles(self, data: dict, **_) -> dict:
        data["roles"] = _distinct(data["roles"])
        return data


class PersonUpdateSchema(ma.Schema):
    """A transfer (org_id), a change of data, or leaving (``active: false``)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    org_id = ma.fields.Integer()
    party_member = ma.fields.Boolean()
    joined_party_on = ma.fields.Date(allow_none=True)
    roles = ma.fields.List(RoleName(), validate=ma.validate.Length(max=20))
    email = ma.fields.Email(allow_none=True, validate=ma.validate.Length(max=200))
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=32))
    active = ma.fields.Boolean()

    @ma.post_load
    def _canonical_roles(self, data: dict, **_) -> dict:
        if "roles" in data:
            data["roles"] = _distinct(data["roles"])
        return data


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    employee_no = ma.fields.String(required=True)
    org_id = ma.fields.Integer(required=True)
    party_member = ma.fields.Boolean(required=True)
    joined_party_on = ma.fields.Date(allow_none=True)
    roles = ma.fields.List(ma.fields.String(metadata={"enum": list(vocabulary.KEYS)}))
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()


class PersonQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()
    subtree = ma.fields.Boolean(load_default=False)
    party_member = ma.fields.Boolean()
    include_inactive = ma.fields.Boolean(load_default=False)
    q = ma.fields.String(validate=ma.validate.Length(max=100))
