"""Request and response schemas of the notify API (unknown fields are rejected)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from shared.i18n import bilingual
from shared.messages import CATEGORIES, CHANNELS
from shared.pagination import PageArgsSchema

ONE_RECIPIENT_KIND = bilingual("请给出 person_ids、org_id 或 items 之一", "Give person_ids, org_id or items")


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class RecipientsSchema(Strict):
    person_ids = ma.fields.List(ma.fields.Integer(validate=validate.Range(min=1)),
                                validate=validate.Length(max=100_000), load_default=list)
    org_id = ma.fields.Integer(allow_none=True, load_default=None)
    subtree = ma.fields.Boolean(load_default=True)
    party_members_only = ma.fields.Boolean(load_default=False)


class PersonalItemSchema(Strict):
    person_id = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    subject = ma.fields.String(allow_none=True, validate=validate.Length(max=500))
    body = ma.fields.String(allow_none=True, validate=validate.Length(max=20_000))
    link = ma.fields.String(allow_none=True, validate=validate.Length(max=1000))


class NotificationCreateSchema(Strict):
    category = ma.fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    subject = ma.fields.String(required=True, validate=validate.Length(min=1, max=500))
    body = ma.fields.String(load_default="", validate=validate.Length(max=20_000))
    link = ma.fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000))
    recipients = ma.fields.Nested(RecipientsSchema, load_default=dict)
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
    by_channel = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ChannelCountsSchema))
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)


class DeliverySchema(ma.Schema):
    person_id = ma.fields.Integer()
    channel = ma.fields.String()
    state = ma.fields.String()
    attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime()


class InboxQueryArgsSchema(PageArgsSchema):
    unread = ma.fields.Boolean(load_default=False)


class InboxMessageSchema(ma.Schema):
    id = ma.fields.Integer()
    notification_id = ma.fields.Integer()
    category = ma.fields.String()
    subject = ma.fields.String()
    body = ma.fields.String()
    link = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    read_at = ma.fields.DateTime(allow_none=True)


class InboxPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(InboxMessageSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    page_size = ma.fields.Integer(required=True)
    unread = ma.fields.Integer(required=True, metadata={"description": "unread messages of the person"})


class UnreadSchema(ma.Schema):
    unread = ma.fields.Integer(required=True)


class MarkedSchema(ma.Schema):
    marked = ma.fields.Integer(required=True)


class PreferencesInSchema(Strict):
    muted_categories = ma.fields.List(ma.fields.String(validate=validate.OneOf(CATEGORIES)), required=True)
    channels = ma.fields.List(ma.fields.String(validate=validate.OneOf(CHANNELS)), required=True)


class PreferencesSchema(ma.Schema):
    person_id = ma.fields.Integer()
    muted_categories = ma.fields.List(ma.fields.String())
    channels = ma.fields.List(ma.fields.String())
    mandatory_categories = ma.fields.List(ma.fields.String())


class CategorySettingInSchema(Strict):
    mandatory = ma.fields.Boolean(required=True)


class CategorySettingSchema(ma.Schema):
    category = ma.fields.String()
    mandatory = ma.fields.Boolean()


class WebhookCreateSchema(Strict):
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
    categories = ma.fields.List(ma.fields.String())
    created_at = ma.fields.DateTime()


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.String(metadata={"description": "signing secret (whsec_…); shown only once"})


class WebhookQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()


class PingSchema(ma.Schema):
    delivered = ma.fields.Boolean()
    error = ma.fields.String(allow_none=True)
    message_id = ma.fields.String()
