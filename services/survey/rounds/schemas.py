"""marshmallow schemas of the survey API: ``<Name>Schema`` and ``<Name>QueryArgsSchema``."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.survey.rounds.domain.rules import DIMENSIONS, KINDS, TARGET_TYPES
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema

ALL_DIMENSIONS = sorted({key for dims in DIMENSIONS.values() for key, _ in dims})


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class WeightsSchema(StrictSchema):
    self_ = ma.fields.Float(data_key="self", attribute="self", validate=v.Range(min=0, max=1))
    peer = ma.fields.Float(validate=v.Range(min=0, max=1))
    masses = ma.fields.Float(validate=v.Range(min=0, max=1))


class GradeBandSchema(StrictSchema):
    grade = ma.fields.String(required=True, validate=v.Length(min=1, max=16))
    min = ma.fields.Float(required=True, validate=v.Range(min=0, max=100))


class RoundSettingsSchema(StrictSchema):
    """Every evaluation rule of the round; what is left out takes the DOMAIN.md default."""

    scale_max = ma.fields.Integer(validate=v.Range(min=2, max=10))
    trim_min = ma.fields.Integer(validate=v.Range(min=3, max=1000))
    min_group = ma.fields.Integer(validate=v.Range(min=1, max=1000))
    weights = ma.fields.Nested(WeightsSchema)
    grades = ma.fields.List(ma.fields.Nested(GradeBandSchema), validate=v.Length(min=1, max=10))
    fail_grade = ma.fields.String(validate=v.Length(min=1, max=16))
    committee_raters = ma.fields.String(validate=v.OneOf(["committee", "secretary"]))
    allow_partial = ma.fields.Boolean()
    reminder_hours = ma.fields.Integer(validate=v.Range(min=1, max=24 * 30))
    invite_chunk = ma.fields.Integer(validate=v.Range(min=1, max=5000))
    aggregation_chunk = ma.fields.Integer(validate=v.Range(min=1, max=100000))


class RoundCreateSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=v.OneOf(KINDS))
    title = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    root_org_id = ma.fields.Integer(required=True, validate=v.Range(min=1))
    closes_at = ma.fields.AwareDateTime(required=True, default_timezone=None)
    settings = ma.fields.Nested(RoundSettingsSchema, load_default=dict)


class RoundSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    root_org_id = ma.fields.Integer(required=True)
    state = ma.fields.String(required=True)
    closes_at = ma.fields.DateTime(required=True)
    settings = ma.fields.Dict(required=True)
    created_at = ma.fields.DateTime()
    opened_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    results_at = ma.fields.DateTime(allow_none=True)
    aggregation_error = ma.fields.String(allow_none=True)
    ballots = ma.fields.Integer(metadata={"description": "ballots issued"})


class OrgProgressSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    name = ma.fields.String(allow_none=True)
    issued = ma.fields.Integer(required=True)
    used = ma.fields.Integer(required=True)


class ProgressSchema(ma.Schema):
    issued = ma.fields.Integer(required=True)
    used = ma.fields.Integer(required=True)
    by_org = ma.fields.List(ma.fields.Nested(OrgProgressSchema), required=True)


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


class BallotTargetSchema(ma.Schema):
    target_type = ma.fields.String(required=True)
    target_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    dimensions = ma.fields.List(ma.fields.String(), required=True)


class DimensionSchema(ma.Schema):
    key = ma.fields.String(required=True)
    label = ma.fields.String(required=True)


class ScaleSchema(ma.Schema):
    min = ma.fields.Integer(required=True)
    max = ma.fields.Integer(required=True)
    labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


class BallotSchema(ma.Schema):
    round_id = ma.fields.Integer(required=True)
    title = ma.fields.String()
    closes_at = ma.fields.DateTime()
    allow_partial = ma.fields.Boolean()
    targets = ma.fields.List(ma.fields.Nested(BallotTargetSchema), required=True)
    dimensions = ma.fields.List(ma.fields.Nested(DimensionSchema), required=True)
    scale = ma.fields.Nested(ScaleSchema, required=True)


class AnswerSchema(StrictSchema):
    target_type = ma.fields.String(required=True, validate=v.OneOf(TARGET_TYPES))
    target_id = ma.fields.Integer(required=True, strict=True)
    dimension = ma.fields.String(required=True, validate=v.OneOf(ALL_DIMENSIONS))
    score = ma.fields.Integer(required=True, strict=True)


class SubmissionSchema(StrictSchema):
    answers = ma.fields.List(
        ma.fields.Nested(AnswerSchema), required=True,
        validate=v.Length(min=1, max=5000, error=bilingual("至少填写一项评分", "answer at least one item")),
    )


class SubmittedSchema(ma.Schema):
    round_id = ma.fields.Integer(required=True)
    answers = ma.fields.Integer(required=True, metadata={"description": "answers stored"})

