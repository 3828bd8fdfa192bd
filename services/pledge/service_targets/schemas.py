"""Request and response schemas of 三服务 service targets."""

from __future__ import annotations

import marshmallow as ma

from services.pledge.pledges.domain.carriers import PERIOD_KINDS
from services.pledge.service_targets.domain.providers import BENEFICIARIES, PROVIDER_TYPES
from shared.pagination import PageArgsSchema

Text = ma.fields.String
_id = ma.fields.Integer


def _title(**kw) -> ma.fields.String:
    return Text(validate=ma.validate.Length(min=1, max=200), **kw)


def _content(**kw) -> ma.fields.String:
    return Text(validate=ma.validate.Length(max=5000), **kw)


class ServiceTargetCreateSchema(ma.Schema):
    provider_type = Text(required=True, validate=ma.validate.OneOf(PROVIDER_TYPES))
    provider_id = _id(required=True, validate=ma.validate.Range(min=1))
    period_kind = Text(required=True, validate=ma.validate.OneOf(PERIOD_KINDS))
    period_start = ma.fields.Date(required=True)
    title = _title(required=True)
    content = _content(load_default="")
    beneficiaries = Text(load_default=None, allow_none=True, validate=ma.validate.OneOf(BENEFICIARIES), metadata={
        "description": "whom the provider serves (derived when omitted): a committee its branches, a branch its "
                       "members, a member the employees of their branch"})


class ServiceTargetReviseSchema(ma.Schema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=2000))
    title = _title()
    content = _content()


class ServiceTargetWithdrawSchema(ma.Schema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=2000))


class ServiceTargetSchema(ma.Schema):
    id = _id(required=True)
    provider_type = Text(required=True, validate=ma.validate.OneOf(PROVIDER_TYPES))
    provider_id = _id(required=True)
    provider_name = Text()
    org_id = _id(required=True, metadata={"description": "an org provider: itself; a person: their org"})
    period_kind = Text(required=True, validate=ma.validate.OneOf(PERIOD_KINDS))
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    title = Text(required=True)
    content = Text()
    beneficiaries = Text(required=True, validate=ma.validate.OneOf(BENEFICIARIES))
    version = _id(required=True)
    active = ma.fields.Boolean(required=True)
    withdrawn_reason = Text(allow_none=True)
    created_by = Text(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class ServiceTargetQueryArgsSchema(PageArgsSchema):
    provider_type = Text(validate=ma.validate.OneOf(PROVIDER_TYPES))
    provider_id = _id()
    org_id = _id()
    subtree = ma.fields.Boolean(load_default=False)
    period_kind = Text(validate=ma.validate.OneOf(PERIOD_KINDS))
    period_start = ma.fields.Date()
    active_on = ma.fields.Date(metadata={"description": "targets whose period covers this date"})
    active = ma.fields.Boolean(metadata={"description": "false: withdrawn ones; omitted: both"})


class ServiceTargetVersionSchema(ma.Schema):
    version = _id(required=True)
    data = ma.fields.Dict(required=True)
    reason = Text(allow_none=True)
    created_by = Text(allow_none=True)
    created_at = ma.fields.DateTime()


class ServiceTargetHistorySchema(ma.Schema):
    target_id = _id(required=True)
    versions = ma.fields.List(ma.fields.Nested(ServiceTargetVersionSchema), required=True)
