"""Schemas of the preferences API (unknown fields are rejected: marshmallow's default, ``RAISE``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from shared.messages import CATEGORIES, CHANNELS


class PreferencesInSchema(ma.Schema):
    muted_categories = ma.fields.List(ma.fields.String(validate=validate.OneOf(CATEGORIES)), required=True)
    channels = ma.fields.List(ma.fields.String(validate=validate.OneOf(CHANNELS)), required=True)


class PreferencesSchema(ma.Schema):
    person_id = ma.fields.Integer()
    muted_categories = ma.fields.List(ma.fields.String(metadata={"enum": list(CATEGORIES)}))
    channels = ma.fields.List(ma.fields.String(metadata={"enum": list(CHANNELS)}))
    mandatory_categories = ma.fields.List(ma.fields.String(metadata={"enum": list(CATEGORIES)}))


class CategorySettingInSchema(ma.Schema):
    mandatory = ma.fields.Boolean(required=True)


class CategorySettingSchema(ma.Schema):
    category = ma.fields.String(metadata={"enum": list(CATEGORIES)})
    mandatory = ma.fields.Boolean()
