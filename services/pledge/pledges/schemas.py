"""Request and response schemas of carriers, pledges, progress and history."""

from __future__ import annotations

import marshmallow as ma

from services.pledge.pledges.domain.carriers import PERIOD_KINDS
from services.pledge.pledges.domain.categories import CATEGORIES, ORG_CATEGORIES, PERSON_CATEGORIES, PLEDGER_TYPES
from services.pledge.pledges.domain.completion import DIRECTIONS
from services.pledge.pledges.domain.lifecycle import ACTIONS, CHANNELS, OUTCOMES, STATES
from services.pledge.suggestions.schemas import suggestion_id_field
from shared.i18n import bilingual
from shared.pagination import PageArgsSchema

Text = ma.fields.String


class CarrierCreateSchema(ma.Schema):
    title = Text(required=True, validate=ma.validate.Length(min=1, max=200))
    org_id = ma.fields.Integer(required=True)
    parent_id = ma.fields.Integer(load_default=None, allow_none=True)
    period_kind = Text(required=True, validate=ma.validate.OneOf(PERIOD_KINDS))
    period_start = ma.fields.Date(required=True)
    themes = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=100)), load_default=list,
                            validate=ma.validate.Length(max=50))


def enum(values, **metadata) -> dict:
    """OpenAPI metadata of an output field that holds one of ``values``."""
    return {"enum": list(values), **metadata}


CATEGORY_DOC = ("an org pledges on " + ", ".join(ORG_CATEGORIES) + "; a person on " + ", ".join(PERSON_CATEGORIES))
HISTORY_ACTIONS = ("create", *ACTIONS)


class CarrierSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = Text(required=True)
    org_id = ma.fields.Integer(required=True)
    parent_id = ma.fields.Integer(allow_none=True)
    period_kind = Text(required=True, metadata=enum(PERIOD_KINDS))
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    themes = ma.fields.List(Text())
    created_at = ma.fields.DateTime()


class CarrierQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()
    period_kind = Text(validate=ma.validate.OneOf(PERIOD_KINDS))
    active_on = ma.fields.Date()


class ExemplarQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()


class TargetSchema(ma.Schema):
    name = Text(required=True, validate=ma.validate.Length(min=1, max=100))
    unit = Text(load_default="", validate=ma.validate.Length(max=20))
    target = ma.fields.Float(required=True, allow_nan=False, validate=ma.validate.Range(min=0))
    direction = Text(load_default="at_least", validate=ma.validate.OneOf(DIRECTIONS), metadata={
        **enum(DIRECTIONS), "description": "at_least: reach the target; at_most: stay at or under it (事故 0 起)"})
    due_on = ma.fields.Date(load_default=None, allow_none=True)


def _unique_target_names(targets: list[dict]) -> None:
    names = [t["name"] for t in targets]
    if len(names) != len(set(names)):
        raise ma.ValidationError(bilingual("指标名称不能重复", "target names must be unique"))


class PledgeFieldsSchema(ma.Schema):
    """The fields a pledger writes (create, PATCH, revise)."""

    category = Text(validate=ma.validate.OneOf(CATEGORIES), metadata={"description": CATEGORY_DOC})
    title = Text(validate=ma.validate.Length(min=1, max=200))
    content = Text(validate=ma.validate.Length(max=5000))
    audiences = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=100)), validate=ma.validate.Length(max=20))
    targets = ma.fields.List(ma.fields.Nested(TargetSchema),
                             validate=[ma.validate.Length(min=1, max=50), _unique_target_names])
    due_on = ma.fields.Date()
    carrier_id = ma.fields.Integer(allow_none=True)
    suggestion_ids = ma.fields.List(suggestion_id_field(), validate=ma.validate.Length(max=50),
                                    metadata={"description": "the suggestions (征求意见) this pledge answers"})


class PledgeCreateSchema(PledgeFieldsSchema):
    pledger_type = Text(required=True, validate=ma.validate.OneOf(PLEDGER_TYPES))
    pledger_id = ma.fields.Integer(required=True)
    category = Text(required=True, validate=ma.validate.OneOf(CATEGORIES), metadata={"description": CATEGORY_DOC})
    title = Text(required=True, validate=ma.validate.Length(min=1, max=200))
    content = Text(load_default="", validate=ma.validate.Length(max=5000))
    audiences = ma.fields.List(Text(validate=ma.validate.Length(min=1, max=100)), load_default=list,
                               validate=ma.validate.Length(max=20))
    targets = ma.fields.List(ma.fields.Nested(TargetSchema), required=True,
                             validate=[ma.validate.Length(min=1, max=50), _unique_target_names])
    due_on = ma.fields.Date(required=True)
    carrier_id = ma.fields.Integer(load_default=None, allow_none=True)
    historical = ma.fields.Boolean(load_default=False, metadata={
        "description": "recording a past pledge (an import of history): due dates before today are then "
                       "accepted; otherwise they are refused (422)"})


class ReviseSchema(PledgeFieldsSchema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=2000))


class ReviewSchema(ma.Schema):
    decision = Text(required=True, validate=ma.validate.OneOf(("approve", "return")))
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class TransitionCommentSchema(ma.Schema):
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class PublishSchema(ma.Schema):
    channels = ma.fields.List(Text(validate=ma.validate.OneOf(CHANNELS)), load_default=lambda: list(CHANNELS),
                              validate=ma.validate.Length(min=1),
                              metadata={"description": "board: /board; meeting: the 承诺大会 list; intranet: the "
                                                       "ledger API (default: all three)"})
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class CloseSchema(ma.Schema):
    outcome = Text(load_default=None, allow_none=True, validate=ma.validate.OneOf(OUTCOMES),
                   metadata={"description": "omitted: the outcome the evaluation suggests (see suggested_outcome)"})
    comment = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class WithdrawSchema(ma.Schema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=2000))


class ExemplarSchema(ma.Schema):
    note = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))


class ProgressCreateSchema(ma.Schema):
    note = Text(load_default="", validate=ma.validate.Length(max=5000))
    values = ma.fields.Dict(keys=Text(), values=ma.fields.Float(allow_nan=False), required=True,
                            validate=ma.validate.Length(min=1), metadata={
                                "description": "the value reached so far, keyed by the name of one of the pledge's "
                                               "targets, e.g. {\"合理化建议\": 2}"})
    evidence_url = ma.fields.Url(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class TargetCompletionSchema(ma.Schema):
    name = Text(required=True)
    unit = Text()
    target = ma.fields.Float(required=True)
    direction = Text(validate=ma.validate.OneOf(DIRECTIONS))
    due_on = ma.fields.Date(allow_none=True)
    value = ma.fields.Float(allow_none=True)
    completion = ma.fields.Float(required=True)


class ProgressSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    pledge_id = ma.fields.Integer(required=True)
    version = ma.fields.Integer(required=True)
    note = Text()
    values = ma.fields.Dict(keys=Text(), values=ma.fields.Float())
    evidence_url = Text(allow_none=True)
    completion = ma.fields.Float(required=True)
    targets = ma.fields.List(ma.fields.Nested(TargetCompletionSchema))
    reported_by = Text()
    reported_at = ma.fields.DateTime()


class PledgeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    pledger_type = Text(required=True, metadata=enum(PLEDGER_TYPES))
    pledger_id = ma.fields.Integer(required=True)
    pledger_name = Text()
    org_id = ma.fields.Integer(required=True)
    reviewer_org_id = ma.fields.Integer(allow_none=True)
    carrier_id = ma.fields.Integer(allow_none=True)
    category = Text(required=True, metadata=enum(CATEGORIES, description=CATEGORY_DOC))
    category_label = Text()
    title = Text(required=True)
    content = Text()
    audiences = ma.fields.List(Text())
    targets = ma.fields.List(ma.fields.Nested(TargetCompletionSchema))
    due_on = ma.fields.Date(required=True)
    state = Text(required=True, metadata=enum(STATES))
    version = ma.fields.Integer(required=True)
    published_version = ma.fields.Integer(allow_none=True)
    allowed_actions = ma.fields.List(Text(metadata=enum(ACTIONS)))
    channels = ma.fields.List(Text(metadata=enum(CHANNELS)))
    outcome = Text(allow_none=True, metadata=enum(OUTCOMES))
    suggested_outcome = Text(allow_none=True, validate=ma.validate.OneOf(OUTCOMES), metadata={
        **enum(OUTCOMES),
        "description": "published: the outcome completion and the 评诺 score suggest; closed: what they suggested"})
    outcome_differs = ma.fields.Boolean(metadata={"description": "closed with another outcome than suggested"})
    exemplar = ma.fields.Boolean()
    exemplar_note = Text(allow_none=True)
    completion = ma.fields.Float()
    latest_note = Text(allow_none=True)
    latest_progress_at = ma.fields.DateTime(allow_none=True)
    overdue = ma.fields.Boolean()
    evaluation_score = ma.fields.Float(allow_none=True)
    evaluation_grade = Text(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    published_at = ma.fields.DateTime(allow_none=True)
    suggestion_ids = ma.fields.List(Text(), metadata={"description": "the suggestions this pledge answers"})


class PledgeQueryArgsSchema(PageArgsSchema):
    org_id = ma.fields.Integer()
    subtree = ma.fields.Boolean(load_default=False)
    state = Text(validate=ma.validate.OneOf(STATES))
    pledger_type = Text(validate=ma.validate.OneOf(PLEDGER_TYPES))
    pledger_id = ma.fields.Integer()
    carrier_id = ma.fields.Integer()
    exemplar = ma.fields.Boolean()
    due_before = ma.fields.Date()


class VersionSchema(ma.Schema):
    version = ma.fields.Integer(required=True)
    data = ma.fields.Dict(required=True)
    reason = Text(allow_none=True)
    created_by = Text(allow_none=True)
    created_at = ma.fields.DateTime()
    changes = ma.fields.Dict(metadata={"description": "field → {from, to} against the previous version"})


class TransitionSchema(ma.Schema):
    version = ma.fields.Integer(required=True)
    action = Text(required=True, metadata=enum(HISTORY_ACTIONS))
    from_state = Text(allow_none=True, metadata=enum(STATES))
    to_state = Text(required=True, metadata=enum(STATES))
    actor = Text(required=True)
    at = ma.fields.DateTime(required=True)
    comment = Text(allow_none=True)


class HistorySchema(ma.Schema):
    pledge_id = ma.fields.Integer(required=True)
    versions = ma.fields.List(ma.fields.Nested(VersionSchema), required=True)
    transitions = ma.fields.List(ma.fields.Nested(TransitionSchema), required=True)
    progress = ma.fields.List(ma.fields.Nested(ProgressSchema), required=True)
