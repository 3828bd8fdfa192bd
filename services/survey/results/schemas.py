"""marshmallow schemas of results: ``<Name>Schema`` and ``<Name>QueryArgsSchema``."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.survey.rounds.domain.rules import TARGET_TYPES
from services.survey.rounds.schemas import StrictSchema
from shared.pagination import PageArgsSchema

SUPPRESSIONS = ("min_group", "complementary")


class ResultQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer(validate=v.Range(min=1))
    target_type = ma.fields.String(validate=v.OneOf(TARGET_TYPES))
    format = ma.fields.String(load_default="json", validate=v.OneOf(["json", "xlsx"]))


class ResultSchema(ma.Schema):
    target_type = ma.fields.String(required=True)
    target_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    org_id = ma.fields.Integer(required=True)
    n = ma.fields.Integer(required=True)
    dimensions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(), required=True)
    parts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(allow_none=True), allow_none=True)
    score = ma.fields.Float(allow_none=True)
    grade = ma.fields.String(allow_none=True)
    rank = ma.fields.Integer(allow_none=True, metadata={"description": "rank within its org"})
    rank_in_round = ma.fields.Integer(allow_none=True)
    suppressed = ma.fields.Boolean(required=True)
    suppression = ma.fields.String(allow_none=True, validate=v.OneOf(SUPPRESSIONS), metadata={
        "enum": list(SUPPRESSIONS), "description": "why it is withheld: min_group (too few raters of its own) "
        "or complementary (a published total would reveal a withheld target); null when published"})


class SummarySchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    target_type = ma.fields.String(required=True)
    targets = ma.fields.Integer(required=True)
    ratings = ma.fields.Integer(allow_none=True)
    score = ma.fields.Float(allow_none=True)
    suppressed = ma.fields.Boolean(required=True)


class SummaryQueryArgsSchema(StrictSchema):
    org_id = ma.fields.Integer(validate=v.Range(min=1))


class SummaryListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SummarySchema), required=True)


class MyResultQueryArgsSchema(PageArgsSchema):
    round_id = ma.fields.Integer(validate=v.Range(min=1))


class MyResultSchema(ResultSchema):
    """A result row about the caller (四强) or one of the caller's own pledges (评诺), with its round."""

    round_id = ma.fields.Integer(required=True)
    round_title = ma.fields.String(required=True)
    round_kind = ma.fields.String(required=True)
    own_self = ma.fields.Float(allow_none=True, metadata={
        "description": "a pledge row: the caller's own self-evaluation (shown to the pledger alone)"})
