"""Request and response schemas of suggestions."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.pledge.directory.domain.rules import MAX_ID
from services.pledge.suggestions.domain.rules import DECISIONS, STATES
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema

SUGGESTION_ID = v.Regexp(r"^[0-9a-f]{32}$", error=bilingual("意见编号格式不对", "not a suggestion id"))


def suggestion_id_field(**kw) -> ma.fields.String:
    """A suggestion's id (32 hex digits), e.g. in a pledge's ``suggestion_ids``."""
    return ma.fields.String(validate=SUGGESTION_ID, **kw)


class SuggestionCreateSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True, validate=v.Range(min=1, max=MAX_ID))
    content = ma.fields.String(required=True, validate=v.Length(min=1, max=5000))
    anonymous = ma.fields.Boolean(load_default=False)


class SuggestionAnswerSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=v.OneOf(DECISIONS))
    reply = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=5000))
    reason = ma.fields.String(load_default=None, allow_none=True, validate=v.Length(min=1, max=2000))

    @ma.validates_schema
    def _decline_needs_a_reason(self, data: dict, **_kw) -> None:
        if data.get("decision") == "decline" and not data.get("reason"):
            raise ma.ValidationError(bilingual("不予采纳须说明理由", "a declined suggestion needs a reason"),
                                     field_name="reason")


class SuggestionSchema(ma.Schema):
    id = ma.fields.String(required=True)
    org_id = ma.fields.Integer(required=True)
    content = ma.fields.String(required=True)
    anonymous = ma.fields.Boolean(required=True)
    author_id = ma.fields.Integer(allow_none=True, metadata={"description": "null for an anonymous suggestion"})
    submitted_on = ma.fields.Date(required=True)
    state = ma.fields.String(required=True, validate=v.OneOf(STATES))
    reply = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    answered_by = ma.fields.String(allow_none=True)
    answered_at = ma.fields.DateTime(allow_none=True)
    pledge_ids = ma.fields.List(ma.fields.Integer(), required=True, metadata={"description": "pledges answering it"})


class SuggestionQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer(validate=v.Range(min=1, max=MAX_ID))
    subtree = ma.fields.Boolean(load_default=False)
    state = ma.fields.String(validate=v.OneOf(STATES))
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "a member's own signed suggestions"})
