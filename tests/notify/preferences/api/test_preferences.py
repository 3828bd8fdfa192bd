"""The preferences API: a person's muted categories and channels, mandatory categories, who may change them."""


def test_preferences_read_write_and_who_may(notify_client, auth_headers, people):
    me = auth_headers("member", sub=1)
    assert notify_client.get("/api/v1/preferences/1", headers=me).json == {
        "person_id": 1, "muted_categories": [], "channels": ["inbox", "email", "webhook"],
        "quiet_hours": None, "digest": "off", "digest_categories": [], "mandatory_categories": []}
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


def test_quiet_hours_digest_and_urgent_categories(notify, configure, auth_headers, people):
    client = configure(notify_quiet_hours="22:00-07:00")
    me = auth_headers("member", sub=1)
    assert client.get("/api/v1/preferences/1", headers=me).json["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    base = {"muted_categories": [], "channels": ["inbox", "email"]}
    resp = client.put("/api/v1/preferences/1", headers=me, json={
        **base, "quiet_hours": {"start": "23:30", "end": "06:00"}, "digest": "weekly",
        "digest_categories": ["lookback", "general"]})
    assert resp.status_code == 200, resp.json
    assert (resp.json["quiet_hours"], resp.json["digest"], resp.json["digest_categories"]) == (
        {"start": "23:30", "end": "06:00"}, "weekly", ["general", "lookback"])
    kept = client.put("/api/v1/preferences/1", headers=me, json=base).json  # left out: unchanged
    assert (kept["quiet_hours"], kept["digest"]) == ({"start": "23:30", "end": "06:00"}, "weekly")
    assert client.put("/api/v1/preferences/1", headers=me, json={**base, "quiet_hours": None}).json[
        "quiet_hours"] is None
    bad = client.put("/api/v1/preferences/1", headers=me, json={**base, "quiet_hours": {"start": "25:00", "end": "x"},
                                                                "digest": "hourly"})
    assert bad.status_code == 422 and {"quiet_hours.start", "quiet_hours.end", "digest"} <= set(bad.json["errors"])
    admin = auth_headers("admin")
    assert client.put("/api/v1/categories/general", json={"mandatory": False, "urgent": True},
                      headers=admin).status_code == 422
    assert client.put("/api/v1/categories/pledge_due", json={"mandatory": True, "urgent": True},
                      headers=admin).json == {"category": "pledge_due", "mandatory": True, "urgent": True}
    held = client.put("/api/v1/preferences/1", headers=me, json={**base, "digest_categories": ["pledge_due"]})
    assert held.status_code == 422 and "digest_categories.pledge_due" in held.json["errors"]
