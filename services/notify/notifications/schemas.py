"""Request and response schemas of the notifications API (unknown fields are rejected: marshmallow's
default, ``unknown = RAISE``, which every input schema here keeps)."""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
from marshmallow import validate

from shared.i18n import bilingual
from shared.messages import CATEGORIES, CHANNELS
from shared.pagination import PageArgsSchema

REPORT_STATE_NAMES = ("delivered", "failed", "skipped", "pending")
ONE_RECIPIENT_KIND = bilingual("请给出 person_ids、org_id 或 items 之一", "Give person_ids, org_id or items")


class RecipientsSchema(ma.Schema):
    person_ids = ma.fields.List(ma.fields.Integer(validate=validate.Range(min=1)),
                                validate=validate.Length(max=100_000), load_default=list)
    org_id = ma.fields.Integer(allow_none=True, load_default=None)
    subtree = ma.fields.Boolean(load_default=True)
    party_members_only = ma.fields.Boolean(load_default=False)


class PersonalItemSchema(ma.Schema):
    person_id = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    subject = ma.fields.String(allow_none=True, validate=validate.Length(max=500))
    body = ma.fields.String(allow_none=True, validate=validate.Length(max=20_000))
    link = ma.fields.String(allow_none=True, validate=validate.Length(max=1000))


class NotificationCreateSchema(ma.Schema):
    category = ma.fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    subject = ma.fields.String(required=True, validate=validate.Length(min=1, max=500))
    body = ma.fields.String(load_default="", validate=validate.Length(max=20_000))
    link = ma.fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000))
    recipients = ma.fields.Nested(RecipientsSchema, load_default=dict)
    private = ma.fields.Boolean(load_default=False, metadata={
        "description": "link and tokens for each recipient alone; every other reader sees them redacted"})
    items = ma.fields.List(ma.fields.Nested(PersonalItemSchema), load_default=list,
                           validate=validate.Length(max=100_000))
    channels = ma.fields.List(ma.fields.String(validate=validate.OneOf(CHANNELS)), load_default=lambda: ["inbox"],
                              validate=validate.Length(min=1, max=len(CHANNELS)))

    @ma.validates_schema
    def _someone(self, data: dict, **_kw) -> None:
        r = data.get("recipients") or {}
        if not (r.get("person_ids") or r.get("org_id") is not None or data.get("items")):
            raise ma.ValidationError(ONE_RECIPIENT_KIND, "recipients")


class NotificationAcceptedSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    state = ma.fields.String(required=True)
    total = ma.fields.Integer(required=True, metadata={"description": "deliveries: recipients × channels"})
    recipients = ma.fields.Integer(metadata={"description": "people (an estimate until resolved)"})


class ChannelCountsSchema(ma.Schema):
    sent = ma.fields.Integer()
    failed = ma.fields.Integer()
    skipped = ma.fields.Integer()
    pending = ma.fields.Integer()


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    key = ma.fields.String()
    category = ma.fields.String()
    subject = ma.fields.String()
    state = ma.fields.String(required=True, metadata={"description": "queued | sending | done"})
    channels = ma.fields.List(ma.fields.String())
    recipients = ma.fields.Integer()
    total = ma.fields.Integer(required=True)
    delivered = ma.fields.Integer(required=True)
    failed = ma.fields.Integer(required=True)
    skipped = ma.fields.Integer()
    pending = ma.fields.Integer()
    by_channel = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ChannelCountsSchema),
                                metadata={"description": "per channel: the people's deliveries by state"})
    robots = ma.fields.Nested(ChannelCountsSchema, metadata={
        "description": "the 企业微信/钉钉 robots' summaries (one per robot reached) by state"})
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)


class NotificationQueryArgsSchema(PageArgsSchema):
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    state = ma.fields.String(validate=validate.OneOf(("queued", "sending", "done")))
    created_after = ma.fields.AwareDateTime(default_timezone=UTC)


class DeliveryQueryArgsSchema(PageArgsSchema):
    state = ma.fields.String(validate=validate.OneOf(REPORT_STATE_NAMES))
    channel = ma.fields.String(validate=validate.OneOf(CHANNELS))


class DeliveryLineSchema(ma.Schema):
    person_id = ma.fields.Integer(allow_none=True, metadata={"description": "null for a robot's summary"})
    endpoint_id = ma.fields.Integer(allow_none=True, metadata={"description": "the robot (webhook endpoint)"})
    channel = ma.fields.String(metadata={"enum": list(CHANNELS)})
    state = ma.fields.String(metadata={"enum": list(REPORT_STATE_NAMES)})
    error = ma.fields.String(allow_none=True, metadata={"description": "why: the skip reason or the last error"})
    attempts = ma.fields.Integer()
    at = ma.fields.DateTime()


class DeliverySchema(ma.Schema):
    person_id = ma.fields.Integer()
    channel = ma.fields.String()
    state = ma.fields.String()
    attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime()
