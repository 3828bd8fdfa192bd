"""Request and response schemas of coverage (没有空白点)."""

from __future__ import annotations

import marshmallow as ma

from services.pledge.coverage.domain.gaps import KINDS
from shared.pagination import PageArgsSchema


class CoverageQueryArgsSchema(PageArgsSchema):
    as_of = ma.fields.Date(metadata={"description": "the day the gaps are judged on (default: today)"})
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS), metadata={"description": "only this kind of gap"})


class GapSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    org_id = ma.fields.Integer(required=True)
    person_id = ma.fields.Integer(allow_none=True)
    pledge_id = ma.fields.Integer(allow_none=True)
    since = ma.fields.Date(allow_none=True, metadata={"description": "the day the gap's clock started"})


class CoverageSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    as_of = ma.fields.Date(required=True)
    totals = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.OneOf(KINDS)), values=ma.fields.Integer(),
                            required=True)
    gaps = ma.fields.List(ma.fields.Nested(GapSchema), required=True,
                          metadata={"description": "one page (?page=&page_size=) of the gaps, kind after kind"})
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    page_size = ma.fields.Integer(required=True)
