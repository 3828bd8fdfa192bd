"""Schemas of the inbox API."""

from __future__ import annotations

import marshmallow as ma

from shared.pagination import PageArgsSchema


class InboxQueryArgsSchema(PageArgsSchema):
    unread = ma.fields.Boolean(load_default=False)


class InboxMessageSchema(ma.Schema):
    id = ma.fields.Integer()
    notification_id = ma.fields.Integer()
    category = ma.fields.String()
    subject = ma.fields.String()
    body = ma.fields.String()
    link = ma.fields.String(allow_none=True)
    private = ma.fields.Boolean(metadata={"description": "link and tokens shown to the person alone (null link and "
                                                         "*** for anyone else reading this inbox)"})
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
