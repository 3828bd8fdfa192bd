"""Request and response schemas of the ledger (承诺台账): its query and its rows."""

from __future__ import annotations

import marshmallow as ma

from services.pledge.ledger.domain.board import STATE_FILTERS
from services.pledge.pledges.schemas import TargetCompletionSchema
from shared.pagination import PageArgsSchema

Text = ma.fields.String


class LedgerQueryArgsSchema(PageArgsSchema):
    format = Text(load_default="json", validate=ma.validate.OneOf(("json", "xlsx")))
    carrier_id = ma.fields.Integer()
    due_from = ma.fields.Date()
    due_to = ma.fields.Date()
    overdue = ma.fields.Boolean()
    state = Text(validate=ma.validate.OneOf(tuple(STATE_FILTERS)))


class LedgerRowSchema(ma.Schema):
    pledge_id = ma.fields.Integer(required=True)
    pledger_type = Text(required=True)
    pledger_id = ma.fields.Integer(required=True)
    pledger_name = Text(required=True)
    org_id = ma.fields.Integer(required=True)
    org_name = Text(required=True)
    category = Text(required=True)
    category_label = Text()
    title = Text(required=True)
    version = ma.fields.Integer(required=True)
    revising = ma.fields.Boolean()
    targets = ma.fields.List(ma.fields.Nested(TargetCompletionSchema), required=True)
    latest_note = Text(allow_none=True)
    latest_progress_at = ma.fields.DateTime(allow_none=True)
    completion = ma.fields.Float(required=True)
    due_on = ma.fields.Date(required=True)
    overdue = ma.fields.Boolean(required=True)
    state = Text(required=True)
    state_label = Text()
    outcome = Text(allow_none=True)
    outcome_label = Text(allow_none=True)
    exemplar = ma.fields.Boolean()
    evaluation_score = ma.fields.Float(allow_none=True)
    evaluation_grade = Text(allow_none=True)
    channels = ma.fields.List(Text())


class LedgerPageSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    org_name = Text(required=True)
    items = ma.fields.List(ma.fields.Nested(LedgerRowSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    page_size = ma.fields.Integer(required=True)
