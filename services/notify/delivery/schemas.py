"""Schemas of the webhooks API (unknown fields are rejected: marshmallow's default, ``RAISE``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.notify.delivery.channels.formats import FORMAT_NAMES
from services.notify.delivery.channels.webhook import redacted
from shared.messages import CATEGORIES
from shared.pagination import PageArgsSchema


class WebhookCreateSchema(ma.Schema):
    url = ma.fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                        validate=validate.Length(max=1000))
    org_id = ma.fields.Integer(allow_none=True, load_default=None)
    description = ma.fields.String(load_default="", validate=validate.Length(max=200))
    categories = ma.fields.List(ma.fields.String(validate=validate.OneOf(CATEGORIES)), load_default=list)
    format = ma.fields.String(load_default="standard", validate=validate.OneOf(FORMAT_NAMES),
                              metadata={"description": "standard (signed event per person) | wecom 企业微信 | "
                                                       "dingtalk 钉钉 (robots: one summary per notification)"})
    secret = ma.fields.String(load_default="", validate=validate.Length(max=100), load_only=True,
                              metadata={"description": "dingtalk only: the robot's 加签 secret (SEC…)"})


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer()
    org_id = ma.fields.Integer(allow_none=True)
    url = ma.fields.Method("_url", metadata={"description": "a robot's key or token is masked"})
    format = ma.fields.String(metadata={"enum": list(FORMAT_NAMES)})
    description = ma.fields.String()
    categories = ma.fields.List(ma.fields.String())
    created_at = ma.fields.DateTime()

    def _url(self, endpoint) -> str:
        return redacted(endpoint.url) if endpoint.robot else endpoint.url


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.Method("_secret", allow_none=True,
                              metadata={"description": "standard: the signing secret (whsec_…), shown only "
                                                       "once; robots: null (their secret is never shown)"})

    def _secret(self, endpoint) -> str | None:
        return None if endpoint.robot else endpoint.secret


class WebhookQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()


class PingSchema(ma.Schema):
    delivered = ma.fields.Boolean()
    error = ma.fields.String(allow_none=True)
    message_id = ma.fields.String()
