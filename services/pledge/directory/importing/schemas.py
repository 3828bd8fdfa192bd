"""Request and response schemas of a directory import: the uploaded file, the job and its row errors."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload


class ImportFileSchema(ma.Schema):
    file = Upload(required=True)


JOB_STATES = ("pending", "running", "done", "failed")


class JobCreatedSchema(ma.Schema):
    job_id = ma.fields.String(required=True)
    state = ma.fields.String(required=True, metadata={"enum": list(JOB_STATES)})


class RowErrorSchema(ma.Schema):
    row = ma.fields.Integer(required=True)
    sheet = ma.fields.String()
    field = ma.fields.String(allow_none=True)
    message = ma.fields.String(required=True)


class JobSchema(ma.Schema):
    job_id = ma.fields.String(required=True, metadata={"description": "the id the import answered"})
    id = ma.fields.String(required=True, metadata={"description": "deprecated: the same as job_id", "deprecated": True})
    state = ma.fields.String(required=True, metadata={"enum": list(JOB_STATES)})
    done = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    errors = ma.fields.List(ma.fields.Nested(RowErrorSchema), required=True)
    created_orgs = ma.fields.Integer()
    created_people = ma.fields.Integer()
    filename = ma.fields.String()
    message = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    finished_at = ma.fields.DateTime(allow_none=True)
