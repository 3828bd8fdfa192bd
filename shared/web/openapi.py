"""What every operation of every service's OpenAPI says without each view repeating it.

The decorators of :class:`shared.web.blueprint.Blueprint` document what depends on the view (401/403 from
``authorize``, 404/409 from ``answers``); :func:`complete` adds, when the spec is rendered, what the
app answers to every request of a kind, whatever the view:

- 404 on every path with an ``<int:…>`` id (an id wider than its column is unknown before the view runs);
- 413 and 422 on every operation with a body (``MAX_CONTENT_LENGTH``; the body's schema), 422 on every
  operation with query arguments;
- on every POST the ``Idempotency-Key`` header, with its 400 (too long), 409 (the first request with that
  key still running) and 422 (the key reused with a different body) (``shared.idempotency``);
- 401 on every secured operation (what a missing, expired or foreign token answers);
- ``minimum``/``maximum`` as numbers (a Decimal field's range renders them as strings), ``null`` in the values
  of a nullable enum;
- an ``operationId`` read from the path (``list_pledges``, ``create_pledge``, ``get_pledge``,
  ``submit_pledge``, ``list_org_comments``) unless the view set one with ``@blp.doc(operationId=…)``;
- an ``example`` for every JSON request body, built from its schema (field ``example`` metadata first,
  then the first enum value or the default); :data:`EXAMPLES` holds whole bodies where that is not enough.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import apispec

from shared.web.blueprint import ERROR_DESCRIPTIONS

METHODS = ("get", "put", "post", "patch", "delete")
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "The same key and body within 24 h returns the first response and does nothing again "
                   "(at most 255 characters)",
    "schema": {"type": "string", "maxLength": 255},
}
_IRREGULAR = {"people": "person", "inbox": "inbox", "preferences": "preferences", "settings": "settings",
              "status": "status", "progress": "progress", "volunteering": "volunteering", "me": "my",
              "counts": "counts", "results": "results"}
_ACTIONS = {"exemplar": "mark_exemplar"}  # POST …/{id}/<segment> whose segment is no verb
_IDS = {  # where the path alone does not say it
    "post /api/v1/inbox/{person_id}/{message_id}/read": "read_inbox_message",
    "post /api/v1/ballots/{token}": "submit_ballot",
    "get /api/v1/me/results": "list_my_results",
    "get /api/v1/contact-points/counts": "count_contact_points",
    "get /api/v1/scorecards/settings/{year}": "get_scorecard_settings",
    "put /api/v1/scorecards/settings/{year}": "update_scorecard_settings",
}
# operationId → a whole example body (where one built from the schema would not show the point)
EXAMPLES: dict[str, dict[str, Any]] = {
    "create_org": {"name": "第一党支部", "parent_id": 1, "kind": "branch", "code": "ZB-001"},
    "create_person": {"name": "李明", "employee_no": "E10001", "org_id": 2, "party_member": True,
                      "joined_party_on": "2015-07-01", "roles": ["secretary"], "email": "li.ming@example.cn"},
    "create_pledge": {"pledger_type": "person", "pledger_id": 7, "category": "first_class_results",
                      "title": "全年安全生产无事故", "content": "带头落实班组安全责任制",
                      "audiences": ["班组职工"], "due_on": "2026-12-31",
                      "targets": [{"name": "安全检查", "unit": "次", "target": 12},
                                  {"name": "合理化建议", "unit": "条", "target": 4, "due_on": "2026-06-30"}]},
    "review_pledge": {"decision": "approve", "comment": "目标具体，同意"},
    "publish_pledge": {"channels": ["board", "meeting"]},
    "create_pledge_progress": {"note": "上半年无事故，提出建议 2 条", "values": {"安全检查": 6, "合理化建议": 2},
                               "evidence_url": "https://intranet.example.cn/evidence/1"},
    "close_pledge": {"outcome": "fulfilled", "comment": "全部兑现"},
    "withdraw_pledge": {"reason": "岗位调整"},
    "create_round": {"kind": "three_way", "title": "2026 年度三测评", "root_org_id": 1,
                     "closes_at": "2026-12-31T18:00:00+08:00", "settings": {"trim_min": 7, "min_group": 5}},
    "update_scorecard_settings": {"weights": {"pledges": 0.2, "pledge_evaluation": 0.15, "three_way": 0.2,
                                              "leadership": 0.15, "inspections": 0.1, "quarterly_comments": 0.1,
                                              "demo_sites": 0.05, "contacts": 0.05},
                                  "grade_bounds": {"优秀": 90, "合格": 75, "基本合格": 60}},
    "create_notification": {"category": "general", "subject": "主题党日通知", "body": "周五下午三点，党员活动室",
                            "recipients": {"org_id": 2, "subtree": True, "party_members_only": True},
                            "channels": ["inbox", "email"]},
}


class CompletedSpec(apispec.APISpec):
    """flask-smorest's APISpec whose rendering goes through :func:`complete`."""

    def to_dict(self) -> dict[str, Any]:
        return complete(super().to_dict())


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    schemas = spec.get("components", {}).get("schemas", {})
    _tidy_schemas(spec)
    spec.setdefault("components", {}).setdefault("responses", {})
    for path, item in spec.get("paths", {}).items():
        shared_params = item.get("parameters", [])
        for method in METHODS:
            if method in item:
                _complete_operation(spec, path, method, item[method], shared_params, schemas)
    return spec


def _complete_operation(spec, path, method, op, shared_params, schemas) -> None:
    params = [*shared_params, *op.get("parameters", [])]
    statuses: set[int] = set()
    if any(p.get("in") == "path" and p.get("schema", {}).get("type") == "integer" for p in params):
        statuses.add(404)
    body = op.get("requestBody")
    if body is not None:
        statuses |= {413, 422}
    if any(p.get("in") == "query" for p in params):
        statuses.add(422)
    if method == "post":
        statuses |= {400, 409, 422}
        if not any(p.get("name") == IDEMPOTENCY_HEADER["name"] for p in params):
            op.setdefault("parameters", []).append(dict(IDEMPOTENCY_HEADER))
    if op.get("security", spec.get("security")):
        statuses.add(401)
    responses = op.setdefault("responses", {})
    for status in sorted(statuses):
        responses.setdefault(str(status), _error_response(status))
    op.setdefault("operationId", operation_id(method, path, op))
    if body is not None:
        media = body.get("content", {}).get("application/json")
        if media is not None and "example" not in media and "examples" not in media:
            example = EXAMPLES.get(op["operationId"]) or example_of(media.get("schema", {}), schemas)
            if example:
                media["example"] = example


def _tidy_schemas(node: Any) -> None:
    """``minimum``/``maximum`` as numbers (a Decimal field's Range renders them as strings, which OpenAPI
    refuses); a nullable enum lists ``null`` among its values (OpenAPI 3.0.3: else null is no valid value)."""
    if isinstance(node, dict):
        for key in ("minimum", "maximum"):
            if isinstance(node.get(key), str):
                number = float(node[key])
                node[key] = int(number) if number.is_integer() else number
        if node.get("nullable") and isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            _tidy_schemas(value)
    elif isinstance(node, list):
        for value in node:
            _tidy_schemas(value)


def _error_response(status: int) -> dict[str, Any]:
    return {"description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


# ---- operationId ---------------------------------------------------------------------------------
def _snake(segment: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", segment.lower()).strip("_")


def singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_list(op: dict[str, Any]) -> bool:
    ok = next((r for s, r in op.get("responses", {}).items() if s.startswith("2")), {})
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("type") == "array" or schema.get("$ref", "").endswith("Page")


def operation_id(method: str, path: str, op: dict[str, Any]) -> str:
    """``list_pledges``, ``create_pledge``, ``get_pledge``, ``update_pledge``, ``submit_pledge``,
    ``list_org_comments``, ``create_pledge_progress``, ``get_org_tree``, ``import_directory`` …"""
    if f"{method} {path}" in _IDS:
        return _IDS[f"{method} {path}"]
    segments = [s for s in path.removeprefix("/api/v1").split("/") if s]
    words: list[str] = []  # the literal segments; one followed by an id in the singular
    for i, seg in enumerate(segments):
        if seg.startswith("{"):
            continue
        followed_by_id = i + 1 < len(segments) and segments[i + 1].startswith("{")
        words.append(singular(_snake(seg)) if followed_by_id else _snake(seg))
    ends_with_id = segments[-1].startswith("{")
    created = "201" in op.get("responses", {})
    if method == "get":
        return ("list_" if _is_list(op) else "get_") + "_".join(words)
    if method == "delete":
        return "delete_" + "_".join(words)
    if method in ("put", "patch"):
        return "update_" + "_".join(words)
    if ends_with_id or created or len(words) == 1:  # POST on a collection
        return "create_" + "_".join([*words[:-1], singular(words[-1])])
    return _ACTIONS.get(words[-1], words[-1]) + "_" + "_".join(words[:-1])


# ---- examples ------------------------------------------------------------------------------------
_BY_FORMAT = {"date": "2026-03-31", "date-time": "2026-12-31T18:00:00+08:00", "email": "li.ming@example.cn",
              "uri": "https://intranet.example.cn/evidence/1", "url": "https://intranet.example.cn/evidence/1"}


def example_of(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """An example value of ``schema``: its own example or default, the first enum value, then by type
    (objects: their required properties and those with an example, or else their first two)."""
    if "$ref" in schema:
        if depth > 6:
            return None
        return example_of(schemas.get(schema["$ref"].rsplit("/", 1)[-1], {}), schemas, depth + 1)
    for key in ("example", "default"):
        if schema.get(key) is not None:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", []))
        out = {}
        for name, prop in schema.get("properties", {}).items():
            if prop.get("readOnly") or (name not in required and not _has_example(prop, schemas)):
                continue
            out[name] = example_of(prop, schemas, depth + 1)
        if not out:  # nothing required (a PATCH, settings): show the first two fields
            writable = [(n, p) for n, p in schema.get("properties", {}).items() if not p.get("readOnly")]
            out = {n: example_of(p, schemas, depth + 1) for n, p in writable[:2]}
        return out
    if kind == "array":
        item = example_of(schema.get("items", {}), schemas, depth + 1)
        return [] if item is None else [item]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "string":
        return _BY_FORMAT.get(schema.get("format", ""), "示例")
    return None


def _has_example(prop: dict[str, Any], schemas: dict[str, Any]) -> bool:
    if "example" in prop:
        return True
    if "$ref" in prop:
        target = schemas.get(prop["$ref"].rsplit("/", 1)[-1], {})
        return any(_has_example(p, schemas) for p in target.get("properties", {}).values())
    if prop.get("type") == "array":
        return _has_example(prop.get("items", {}), schemas)
    return False
