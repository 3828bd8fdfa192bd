"""Every operation of the three specs documents what an integrator needs (API.md v1.1, issue 15).

Read from the rendered ``/openapi.json`` of each in-process app: the statuses each operation can answer, with
the error schema; enums for the closed sets; an example for every JSON request body; readable, unique
``operationId``s; the import operation describing its file.
"""

from __future__ import annotations

import re

import pytest

from shared.web.openapi import METHODS, complete, operation_id, singular

ERROR_REF = "#/components/schemas/Error"
# property and query names that hold a closed set wherever they appear
CLOSED = {"kind", "state", "pledger_type", "category", "decision", "outcome", "period_kind", "channels", "channel",
          "roles", "direction", "target_type", "provider_type", "beneficiaries", "digest", "suppression",
          "committee_raters", "muted_categories", "digest_categories", "mandatory_categories", "categories",
          "action", "from_state", "to_state", "round_kind", "allowed_actions", "format"}


@pytest.fixture(params=["pledge", "survey", "notify"])
def spec(request, services, settings, sent) -> dict:
    service = services[request.param]
    service.start(settings, sender=sent)
    return service.create_app(settings).test_client().get("/openapi.json").get_json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                params = [*item.get("parameters", []), *item[method].get("parameters", [])]
                yield f"{method.upper()} {path}", method, path, item[method], params


def _error_documented(spec: dict, response: dict) -> bool:
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref") == ERROR_REF


def test_every_operation_documents_the_statuses_it_can_answer(spec):
    missing = []
    for name, method, _path, op, params in operations(spec):
        statuses = set(op["responses"])
        expected = set()
        if op.get("security", spec.get("security")):
            expected |= {"401", "403"}  # every secured view goes through @blp.authorize
        if any(p["in"] == "path" and p["schema"].get("type") == "integer" for p in params):
            expected.add("404")
        if "requestBody" in op:
            expected |= {"413", "422"}
        if any(p["in"] == "query" for p in params):
            expected.add("422")
        if method == "post":
            expected |= {"400", "409", "422"}  # Idempotency-Key: too long, in flight, reused with another body
            assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in params), name
        if expected - statuses:
            missing.append((name, sorted(expected - statuses)))
        for status, response in op["responses"].items():
            if status[0] == "4" or status == "default":
                assert _error_documented(spec, response), (name, status)
    assert missing == []


def test_state_changes_document_409(spec):
    """A POST on ``…/{id}/<action>`` (submit, review, open, close, replay …) can refuse from the current state."""
    for name, method, path, op, _ in operations(spec):
        if method == "post" and re.search(r"/\{[a-z_]+\}/[a-z-]+$", path):
            assert "409" in op["responses"], name


def test_closed_sets_are_enums(spec):
    def enum_of(schema: dict) -> bool:
        target = schema.get("items", schema) if schema.get("type") == "array" else schema
        return "enum" in target or "$ref" in target

    loose = [f"{schema_name}.{prop}" for schema_name, schema in spec["components"]["schemas"].items()
             for prop, value in schema.get("properties", {}).items() if prop in CLOSED and not enum_of(value)]
    loose += [f"{name} ?{p['name']}" for name, _, _, _, params in operations(spec)
              for p in params if p["name"] in CLOSED and p["in"] == "query" and not enum_of(p["schema"])]
    assert loose == []


def test_every_json_request_body_has_an_example(spec):
    for name, _, _, op, _ in operations(spec):
        media = op.get("requestBody", {}).get("content", {}).get("application/json")
        if media is not None:
            assert media.get("example"), name


def test_operation_ids_are_unique_and_read_well(spec):
    ids = [op["operationId"] for *_, op, _ in operations(spec)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", i) for i in ids), ids


def test_pledge_spec_says_what_integrators_learned_from_422s(services, settings, sent):
    services["pledge"].start(settings, sender=sent)
    spec = services["pledge"].create_app(settings).test_client().get("/openapi.json").get_json()
    ops = {op["operationId"]: op for *_, op, _ in operations(spec)}
    described = ops["import_directory"]["description"]
    for column in ("employee_no", "工号", "org_code", "parent_code", "上级组织编码", "joined_party_on",
                   "header = row 1"):
        assert column in described
    schemas = spec["components"]["schemas"]
    category = schemas["PledgeCreate"]["properties"]["category"]
    assert "first_class_service" in category["enum"] and "an org pledges on serve_overall" in category["description"]
    assert "keyed by the name" in schemas["ProgressCreate"]["properties"]["values"]["description"]
    assert schemas["Target"]["properties"]["target"]["minimum"] == 0
    assert {"submit_pledge", "review_pledge", "create_pledge_progress", "list_org_comments", "get_org_tree",
            "import_directory", "get_job"} <= set(ops)
    example = ops["create_pledge"]["requestBody"]["content"]["application/json"]["example"]
    assert example["pledger_type"] == "person" and example["targets"]


@pytest.mark.parametrize(("method", "path", "answers", "expected"), [
    ("get", "/api/v1/pledges", {"200": {"content": {"application/json": {"schema": {"$ref": "#/x/PledgePage"}}}}},
     "list_pledges"),
    ("post", "/api/v1/pledges", {"201": {}}, "create_pledge"),
    ("get", "/api/v1/pledges/{pledge_id}", {"200": {}}, "get_pledge"),
    ("patch", "/api/v1/pledges/{pledge_id}", {"200": {}}, "update_pledge"),
    ("post", "/api/v1/pledges/{pledge_id}/submit", {"200": {}}, "submit_pledge"),
    ("post", "/api/v1/pledges/{pledge_id}/progress", {"201": {}}, "create_pledge_progress"),
    ("post", "/api/v1/people", {"201": {}}, "create_person"),
    ("post", "/api/v1/directory/import", {"202": {}}, "import_directory"),
    ("delete", "/api/v1/webhooks/{endpoint_id}", {"204": {}}, "delete_webhook"),
    ("post", "/api/v1/dead-letters/{letter_id}/replay", {"202": {}}, "replay_dead_letter"),
])
def test_operation_ids_from_paths(method, path, answers, expected):
    assert operation_id(method, path, {"responses": answers}) == expected


def test_singular():
    assert [singular(w) for w in ("pledges", "people", "categories", "progress", "status")] == [
        "pledge", "person", "category", "progress", "status"]


def test_an_operation_id_set_by_the_view_is_kept_and_decimal_bounds_become_numbers():
    spec = {"paths": {"/api/v1/x/{x_id}": {"get": {"operationId": "mine", "responses": {}}}},
            "components": {"schemas": {"W": {"properties": {"w": {"type": "number", "minimum": "0",
                                                                   "maximum": "2.5"}}}}}}
    done = complete(spec)
    assert done["paths"]["/api/v1/x/{x_id}"]["get"]["operationId"] == "mine"
    assert done["components"]["schemas"]["W"]["properties"]["w"] == {"type": "number", "minimum": 0, "maximum": 2.5}


def test_every_request_body_example_fits_its_schema(spec):
    """The examples are accurate: each validates against the operation's own schema (unknown fields refused)."""
    from jsonschema import Draft4Validator

    for name, _, _, op, _ in operations(spec):
        media = op.get("requestBody", {}).get("content", {}).get("application/json")
        if media is not None:
            schema = {**media["schema"], "components": spec["components"]}
            problems = [e.message for e in Draft4Validator(schema).iter_errors(media["example"])]
            assert problems == [], (name, media["example"])
