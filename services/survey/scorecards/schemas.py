"""marshmallow schemas of the 四好 scorecards and their yearly settings."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.survey.rounds.schemas import StrictSchema
from services.survey.scorecards.domain.composition import PARTS
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema

WEIGHT = v.Range(min=0, max=100, error=bilingual("权重应在 0–100 之间", "must be between 0 and 100"))
BOUND = v.Range(min=0, max=100, error=bilingual("分数线应在 0–100 之间", "must be between 0 and 100"))


class ScorecardQueryArgsSchema(PageArgsSchema):
    year = ma.fields.Integer(metadata={"description": "default: the current year"})
    org_id = ma.fields.Integer(validate=v.Range(min=1))
    subtree = ma.fields.Boolean(load_default=True)
    kind = ma.fields.String(validate=v.OneOf(["committee", "branch"]))
    format = ma.fields.String(load_default="json", validate=v.OneOf(["json", "xlsx"]))


PartsSchema = ma.Schema.from_dict({p: ma.fields.Float(allow_none=True, required=True) for p in PARTS},
                                  name="ScorecardPartsSchema")


class ScorecardSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(["committee", "branch"]))
    year = ma.fields.Integer(required=True)
    parts = ma.fields.Nested(PartsSchema, required=True, metadata={"description": "0–100 each; null: no data"})
    score = ma.fields.Float(allow_none=True, metadata={"description": "weighted over the parts present"})
    grade = ma.fields.String(allow_none=True)
    rank = ma.fields.Integer(allow_none=True, metadata={"description": "within the group, among orgs of its kind"})
    rank_in_parent = ma.fields.Integer(allow_none=True, metadata={"description": "among its siblings of its kind"})
    computed_at = ma.fields.DateTime(required=True)


WeightsInSchema = type("ScorecardWeightsInSchema", (StrictSchema,),
                       {p: ma.fields.Decimal(validate=WEIGHT, as_string=True) for p in PARTS})


class ScorecardSettingsInSchema(StrictSchema):
    weights = ma.fields.Nested(WeightsInSchema, load_default=dict)
    grade_bounds = ma.fields.Dict(keys=ma.fields.String(validate=v.Length(min=1, max=16)),
                                  values=ma.fields.Decimal(validate=BOUND, as_string=True),
                                  validate=v.Length(min=1, max=10))
    fail_grade = ma.fields.String(validate=v.Length(min=1, max=16))


class ScorecardSettingsSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    weights = ma.fields.Dict(keys=ma.fields.String(validate=v.OneOf(PARTS)), values=ma.fields.Float(), required=True)
    grade_bounds = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(), required=True)
    fail_grade = ma.fields.String(required=True)
    updated_at = ma.fields.DateTime(allow_none=True)
    default = ma.fields.Boolean(required=True, metadata={"description": "never set: the defaults"})
