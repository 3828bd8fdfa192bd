"""The conventions of API.md on every service: error shape, languages, auth, health, OpenAPI."""

from dataclasses import replace

import pytest
from openapi_spec_validator import validate

SERVICES = ("pledge", "survey", "notify")
PROTECTED = {"pledge": "/api/v1/orgs", "survey": "/api/v1/directory/status", "notify": "/api/v1/directory/status"}


@pytest.fixture(params=SERVICES)
def client(request):
    return request.getfixturevalue(f"{request.param}_client")


def protected(client) -> str:
    return PROTECTED[client.application.config["XIANFENG_SERVICE"]]


def assert_error_shape(response, status: int, key: str):
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"code", "error", "message", "errors"}
    assert body["code"] == status and body["error"] == key and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_healthz_and_openapi_validate(client):
    assert client.get("/healthz").status_code == 200
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("name", SERVICES)
def test_readyz_names_the_failed_dependency(services, settings, sent, name):
    dead_broker = replace(settings, broker_url="redis://127.0.0.1:9/0", result_backend="redis://127.0.0.1:9/0")
    service = services[name]
    service.start(dead_broker, sender=sent)
    response = service.create_app(dead_broker).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("failed")
    assert "broker" in body["status"]


def test_unknown_path_is_404_in_chinese_and_english(client):
    body = assert_error_shape(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert body["message"] == "资源不存在"
    body = assert_error_shape(client.get("/api/v1/nothing-here", headers={"Accept-Language": "en"}), 404, "not_found")
    assert body["message"] == "Not found"


def test_wrong_method_is_405(client):
    assert_error_shape(client.delete("/healthz"), 405, "method_not_allowed")


def test_missing_token_is_401(client):
    body = assert_error_shape(client.get(protected(client)), 401, "unauthorized")
    assert body["message"] == "未登录或令牌无效"


def test_bad_token_is_401(client):
    assert_error_shape(client.get(protected(client), headers={"Authorization": "Bearer nope"}), 401, "unauthorized")


def test_member_token_on_admin_endpoint_is_403(client, auth_headers):
    if client.application.config["XIANFENG_SERVICE"] == "pledge":
        return  # members may list orgs; pledge's own tests hold its matrix
    assert_error_shape(client.get(protected(client), headers=auth_headers("member", sub=1)), 403, "forbidden")


def test_bad_json_is_400(pledge_client, auth_headers):
    headers = {**auth_headers("admin"), "Content-Type": "application/json"}
    body = assert_error_shape(pledge_client.post("/api/v1/orgs", data="{not json", headers=headers), 400, "bad_json")
    assert "JSON" in body["message"]


def test_every_bad_field_is_named_in_either_language(pledge_client, auth_headers):
    response = pledge_client.post("/api/v1/orgs", json={"kind": "castle"}, headers=auth_headers("admin"))
    body = assert_error_shape(response, 422, "validation_failed")
    assert set(body["errors"]) == {"name", "code", "kind"}
    assert body["errors"]["name"] == ["必填字段"]
    en = assert_error_shape(pledge_client.post("/api/v1/orgs", json={"kind": "castle"},
                                               headers=auth_headers("admin", lang="en")), 422, "validation_failed")
    assert en["errors"]["name"] == ["Missing data for required field."]
    assert en["errors"]["kind"][0].startswith("Must be one of")


def test_unknown_fields_are_rejected_not_assigned(pledge_client, auth_headers):
    body = assert_error_shape(
        pledge_client.post("/api/v1/orgs", json={"name": "x", "code": "x", "kind": "branch", "id": 99, "path": "/9/"},
                           headers=auth_headers("admin")), 422, "validation_failed")
    assert set(body["errors"]) == {"id", "path"}


def test_chinese_is_returned_as_is(pledge_client, auth_headers):
    response = pledge_client.post("/api/v1/orgs", json={"name": "转炉厂党委", "code": "ZL", "kind": "committee"},
                                  headers=auth_headers("admin"))
    assert response.status_code == 201
    assert "转炉厂党委" in response.get_data(as_text=True)
    assert "\\u" not in response.get_data(as_text=True)


def test_page_size_is_capped(pledge_client, auth_headers):
    body = pledge_client.get("/api/v1/orgs?page_size=100000", headers=auth_headers("admin")).get_json()
    assert body["page_size"] == 500 and body["page"] == 1 and body["items"] == [] and body["total"] == 0
    assert_error_shape(pledge_client.get("/api/v1/orgs?page=0", headers=auth_headers("admin")), 422,
                       "validation_failed")


def test_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.headers["X-Request-ID"] == "abc123"


def test_a_database_that_does_not_answer_is_a_503_to_retry_not_a_500(settings):
    """Pool exhausted, server gone, a lock wait given up: 503 with Retry-After in the contract's shape."""
    import sqlalchemy.exc
    from flask_smorest import Blueprint

    from shared.web import create_app

    app, api = create_app("pledge", settings, title="t", description="d", ready_checks={})
    blp = Blueprint("boom", __name__)

    @blp.route("/api/v1/boom/<kind>")
    @blp.doc(security=[])
    def boom(kind):
        if kind == "pool":
            raise sqlalchemy.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached")
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("too many clients already"))

    api.register_blueprint(blp)
    client = app.test_client()
    for kind in ("pool", "server"):
        r = client.get(f"/api/v1/boom/{kind}", headers={"Accept-Language": "en"})
        assert r.status_code == 503 and r.headers["Retry-After"] == "1"
        assert r.get_json() == {"code": 503, "error": "service_unavailable", "message": "Service unavailable",
                                "errors": {}}
