"""Lists in the contract's shape: ``{items, total, page, page_size}``; page_size capped at 500."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # page × page_size must stay a storable offset
DEFAULT_PAGE_SIZE = 50


class PageArgsSchema(ma.Schema):
    """Base of every list's query schema."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    page_size = ma.fields.Integer(load_default=DEFAULT_PAGE_SIZE, validate=ma.validate.Range(min=1))

    @ma.post_load
    def _cap(self, data: dict, **_kw) -> dict:
        data["page_size"] = min(data.get("page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        return data


_PAGE_SCHEMAS: dict[type, type[ma.Schema]] = {}


def page_schema(item: type[ma.Schema]) -> type[ma.Schema]:
    """``<Item>PageSchema``: the documented response of a list endpoint (one class per item)."""
    if item not in _PAGE_SCHEMAS:
        name = item.__name__.removesuffix("Schema") + "PageSchema"
        _PAGE_SCHEMAS[item] = type(name, (ma.Schema,), {
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "total": ma.fields.Integer(required=True),
            "page": ma.fields.Integer(required=True),
            "page_size": ma.fields.Integer(required=True),
        })
    return _PAGE_SCHEMAS[item]


def count_of(stmt: Select) -> Select:
    """``SELECT count(*)`` over the rows of ``stmt``: its FROM and WHERE with the columns dropped (no
    subquery that computes every selected column of every row); grouped, distinct or limited
    statements are counted as a subquery."""
    if (stmt._group_by_clauses or stmt._distinct or stmt._with_options or stmt._limit_clause is not None
            or stmt._offset_clause is not None):
        return select(func.count()).select_from(stmt.order_by(None).subquery())
    return stmt.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)


def paginate(session: Session, stmt: Select, page: int, page_size: int, scalars: bool = True) -> dict[str, Any]:
    total = session.execute(count_of(stmt)).scalar_one()
    page_stmt = stmt.limit(page_size).offset((page - 1) * page_size)
    result = session.execute(page_stmt)
    items = list(result.scalars() if scalars else result.mappings())
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def page_of(items: list, total: int, page: int, page_size: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page, "page_size": page_size}
