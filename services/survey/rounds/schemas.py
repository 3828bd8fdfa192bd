"""marshmallow schemas of rounds: ``<Name>Schema``.

:class:`StrictSchema` (unknown fields refused) is the base of every input schema of the service.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.survey.rounds.domain.lifecycle import STATES
from services.survey.rounds.domain.rules import KINDS
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema


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
    issue_chunk = ma.fields.Integer(validate=v.Range(min=1, max=100000), metadata={
        "description": "ballots per issuing task; a round with more raters answers 202 opening"})
    plan_within_request = ma.fields.Integer(validate=v.Range(min=0, max=10_000_000), metadata={
        "description": "people in scope up to which POST /open plans the round itself (ballots known in its "
                       "answer, 422 when nobody can rate); beyond, the workers plan it"})
    aggregation_chunk = ma.fields.Integer(validate=v.Range(min=1, max=100000))
    release_batch = ma.fields.Integer(validate=v.Range(min=1, max=100000))
    period_start = ma.fields.Date(metadata={"description": "first day of the period evaluated (default: "
                                                           "1 Jan of the closing year); its 三服务 targets show"})
    period_end = ma.fields.Date(metadata={"description": "last day of the period (default: 31 Dec)"})

    @ma.validates_schema
    def _period_in_order(self, data, **kwargs):
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ma.ValidationError(bilingual("结束日期不能早于开始日期", "must not be before period_start"),
                                     "period_end")


class RoundCreateSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=v.OneOf(KINDS))
    title = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    root_org_id = ma.fields.Integer(required=True, validate=v.Range(min=1))
    closes_at = ma.fields.AwareDateTime(required=True, default_timezone=None)
    settings = ma.fields.Nested(RoundSettingsSchema, load_default=dict)


class RoundQueryArgsSchema(PageArgsSchema):
    state = ma.fields.String(validate=v.OneOf(STATES), metadata={"enum": list(STATES)})
    kind = ma.fields.String(validate=v.OneOf(KINDS), metadata={"enum": list(KINDS)})
    root_org_id = ma.fields.Integer(validate=v.Range(min=1))


class RoundSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": list(KINDS)})
    title = ma.fields.String(required=True)
    root_org_id = ma.fields.Integer(required=True)
    state = ma.fields.String(required=True, metadata={"enum": list(STATES)})
    closes_at = ma.fields.DateTime(required=True)
    settings = ma.fields.Dict(required=True, metadata={
        "title": "AppliedRoundSettings", "description": "the settings as applied (RoundSettings, with defaults)"})
    created_at = ma.fields.DateTime()
    opened_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    results_at = ma.fields.DateTime(allow_none=True)
    aggregation_error = ma.fields.String(allow_none=True)
    opening_error = ma.fields.String(allow_none=True, metadata={
        "description": "why the workers sent a round back to draft (its scope had nobody who could rate)"})
    ballots = ma.fields.Integer(allow_none=True, metadata={
        "description": "ballots of the round (while opening: to be issued; null until the workers planned a "
                       "scope of more than plan_within_request people)"})
    issued = ma.fields.Integer(metadata={"description": "ballots issued so far"})


class OrgProgressSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    name = ma.fields.String(allow_none=True)
    issued = ma.fields.Integer(required=True)
    used = ma.fields.Integer(required=True)


class ProgressSchema(ma.Schema):
    issued = ma.fields.Integer(required=True)
    used = ma.fields.Integer(required=True)
    by_org = ma.fields.List(ma.fields.Nested(OrgProgressSchema), required=True)
