"""Schemas of the webhooks API (unknown fields are rejected: marshmallow's default, ``RAISE``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from shared.messages import CATEGORIES
from shared.pagination import PageArgsSchema


class WebhookCreateSchema(ma.Schema):
    url = ma.fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                        validate=validate.Length(max=1000))
    org_id = ma.fields.Integer(allow_none=True, load_default=None)
    description = ma.fields.String(load_default="", validate=validate.Length(max=200))
    categories = ma.fields.List(ma.fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer()
    org_id = ma.fields.Integer(allow_none=True)
    url = ma.fields.String()
    description = ma.fields.String()
    categories = ma.fields.List(ma.fields.String(metadata={"enum": list(CATEGORIES)}))
    created_at = ma.fields.DateTime()


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "signing secret (whsec_…); shown only once"})


class WebhookQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()


class PingSchema(ma.Schema):
    delivered = ma.fields.Boolean()
    error = ma.fields.String(allow_none=True)
    message_id = ma.fields.String()
