"""Schemas of the preferences API (unknown fields are rejected: marshmallow's default, ``RAISE``)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.notify.preferences.domain.policy import DIGESTS
from services.notify.preferences.domain.quiet import parse_time
from shared.i18n import bilingual
from shared.messages import CATEGORIES, CHANNELS

NOT_HH_MM = bilingual("时间格式应为 HH:MM（如 22:00）", "Give the time as HH:MM (for example 22:00)")


def _hh_mm(value: str) -> None:
    try:
        parse_time(value)
    except ValueError as exc:
        raise ma.ValidationError(NOT_HH_MM) from exc


class QuietHoursSchema(ma.Schema):
    start = ma.fields.String(required=True, validate=_hh_mm, metadata={"example": "22:00"})
    end = ma.fields.String(required=True, validate=_hh_mm, metadata={"example": "07:00"})


class PreferencesInSchema(ma.Schema):
    muted_categories = ma.fields.List(ma.fields.String(validate=validate.OneOf(CATEGORIES)), required=True)
    channels = ma.fields.List(ma.fields.String(validate=validate.OneOf(CHANNELS)), required=True)
    quiet_hours = ma.fields.Nested(QuietHoursSchema, allow_none=True, metadata={
        "description": "免打扰 in the campaign's time zone; null: none; left out: unchanged"})
    digest = ma.fields.String(validate=validate.OneOf(DIGESTS), metadata={"description": "left out: unchanged"})
    digest_categories = ma.fields.List(ma.fields.String(validate=validate.OneOf(CATEGORIES)))


class PreferencesSchema(ma.Schema):
    person_id = ma.fields.Integer()
    muted_categories = ma.fields.List(ma.fields.String())
    channels = ma.fields.List(ma.fields.String())
    quiet_hours = ma.fields.Nested(QuietHoursSchema, allow_none=True)
    digest = ma.fields.String(metadata={"enum": list(DIGESTS)})
    digest_categories = ma.fields.List(ma.fields.String())
    mandatory_categories = ma.fields.List(ma.fields.String())


class CategorySettingInSchema(ma.Schema):
    mandatory = ma.fields.Boolean(required=True)
    urgent = ma.fields.Boolean(load_default=False, metadata={"description": "mandatory only: skips quiet hours"})


class CategorySettingSchema(ma.Schema):
    category = ma.fields.String()
    mandatory = ma.fields.Boolean()
    urgent = ma.fields.Boolean()
