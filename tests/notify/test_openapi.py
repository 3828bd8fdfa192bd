"""notify's OpenAPI document lists its endpoints."""


def test_openapi_lists_the_notify_endpoints(notify_client):
    paths = notify_client.get("/openapi.json").json["paths"]
    for path in ("/api/v1/notifications", "/api/v1/notifications/{notification_id}",
                 "/api/v1/notifications/{notification_id}/failures", "/api/v1/inbox/{person_id}",
                 "/api/v1/inbox/{person_id}/{message_id}/read", "/api/v1/preferences/{person_id}",
                 "/api/v1/webhooks", "/api/v1/webhooks/{endpoint_id}/ping"):
        assert path in paths
