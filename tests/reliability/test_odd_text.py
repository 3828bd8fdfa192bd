"""Chinese and odd text round-trips or gets a clear 422, never a 500 (issue 8, #20)."""

import pytest

ODD = {
    "emoji": "钢铁先锋 🔥💪🏭",
    "rtl": "مرحبا שלום 党支部",
    "combining": "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗",
    "ideographic space": "转炉厂\u3000第一党支部",
}


@pytest.mark.parametrize("label", sorted(ODD))
def test_odd_names_round_trip(label, pledge_client, auth_headers):
    name = ODD[label]
    resp = pledge_client.post("/api/v1/orgs", json={"name": name, "code": f"C-{len(name)}", "kind": "committee"},
                              headers=auth_headers("admin"))
    assert resp.status_code == 201, resp.json
    got = pledge_client.get(f"/api/v1/orgs/{resp.json['id']}", headers=auth_headers("admin"))
    assert got.json["name"] == name
    assert name.encode() in got.data  # UTF-8 as is, not \\u-escaped


@pytest.mark.parametrize("where", ["body", "key", "query"])
def test_nul_characters_are_a_named_422(where, pledge_client, auth_headers):
    body = {"name": "集团\x00党委", "code": "HG", "kind": "committee"}
    url = "/api/v1/orgs"
    if where == "key":
        body = {"name": "集团党委", "code": "HG", "kind": "committee", "ev\x00il": 1}
    if where == "query":
        body, url = None, "/api/v1/orgs?q=%00"
    resp = (pledge_client.post(url, json=body, headers=auth_headers("admin", lang="en")) if body
            else pledge_client.get(url, headers=auth_headers("admin", lang="en")))
    assert resp.status_code == 422, resp.json
    assert resp.json["error"] == "validation_failed"
    assert ["NUL characters are not allowed"] in resp.json["errors"].values()


def test_a_10kb_title_is_refused_with_the_field_named(pledge_client, auth_headers):
    resp = pledge_client.post("/api/v1/orgs", json={"name": "长" * 10_000, "code": "HG", "kind": "committee"},
                              headers=auth_headers("admin"))
    assert resp.status_code == 422 and "name" in resp.json["errors"]


@pytest.mark.parametrize("path", ["/api/v1/orgs/99999999999999999999", "/api/v1/orgs/9223372036854775808/tree"])
def test_ids_beyond_64_bits_are_unknown_not_a_500(path, pledge_client, auth_headers):
    resp = pledge_client.get(path, headers=auth_headers("admin"))
    assert resp.status_code == 404 and resp.json["error"] == "not_found"


def test_integers_beyond_64_bits_in_a_body_are_a_named_422(pledge_client, auth_headers):
    resp = pledge_client.post("/api/v1/orgs", json={"name": "集团党委", "code": "HG", "kind": "committee",
                                                    "parent_id": 10**20}, headers=auth_headers("admin", lang="en"))
    assert resp.status_code == 422 and resp.json["errors"]["parent_id"] == ["Number out of range"]


@pytest.mark.parametrize("value", ["99999999999999999999", "9" * 5000])
def test_integers_beyond_64_bits_in_a_query_are_a_named_422(value, pledge_client, auth_headers):
    resp = pledge_client.get(f"/api/v1/people?org_id={value}", headers=auth_headers("admin"))
    assert resp.status_code == 422 and "org_id" in resp.json["errors"]


def test_a_page_far_beyond_any_data_is_a_named_422_not_an_offset_overflow(pledge_client, auth_headers):
    resp = pledge_client.get("/api/v1/pledges?page=4611686018427387904", headers=auth_headers("admin"))
    assert resp.status_code == 422 and "page" in resp.json["errors"]
    assert pledge_client.get("/api/v1/pledges?page=1000000", headers=auth_headers("admin")).json["items"] == []


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(services, settings, sent):
    import dataclasses

    from flask import request

    svc = services["pledge"]
    svc.start(settings, sender=sent)
    seen = {}
    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.7")):
        app = svc.create_app(dataclasses.replace(settings, proxy_hops=hops))

        @app.get("/_probe")
        def probe():
            seen["addr"] = request.remote_addr
            return "ok"

        app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7"})
        assert seen["addr"] == expected
