"""The preferences API: a person's muted categories and channels, mandatory categories, who may change them."""


def test_preferences_read_write_and_who_may(notify_client, auth_headers, people):
    me = auth_headers("member", sub=1)
    assert notify_client.get("/api/v1/preferences/1", headers=me).json == {
        "person_id": 1, "muted_categories": [], "channels": ["inbox", "email", "webhook"],
        "mandatory_categories": []}
    resp = notify_client.put("/api/v1/preferences/1", headers=me,
                             json={"muted_categories": ["lookback"], "channels": ["inbox"]})
    assert resp.json["muted_categories"] == ["lookback"] and resp.json["channels"] == ["inbox"]
    assert notify_client.put("/api/v1/preferences/2", headers=me,
                             json={"muted_categories": [], "channels": []}).status_code == 403
    bad = notify_client.put("/api/v1/preferences/1", headers=me, json={"muted_categories": ["x"], "channels": []})
    assert bad.status_code == 422 and "muted_categories.0" in bad.json["errors"]
    assert notify_client.put("/api/v1/categories/lookback", json={"mandatory": True},
                             headers=me).status_code == 403
    assert notify_client.put("/api/v1/categories/nonsense", json={"mandatory": True},
                             headers=auth_headers("admin")).status_code == 404
    notify_client.put("/api/v1/categories/lookback", json={"mandatory": True}, headers=auth_headers("admin"))
    listed = {c["category"]: c["mandatory"] for c in notify_client.get("/api/v1/categories", headers=me).json}
    assert listed["lookback"] is True and listed["general"] is False
    en = notify_client.put("/api/v1/preferences/1", headers=auth_headers("member", sub=1, lang="en"),
                           json={"muted_categories": ["lookback"], "channels": ["inbox"]})
    assert en.json["errors"] == {"muted_categories.lookback": ["A mandatory category cannot be muted"]}
