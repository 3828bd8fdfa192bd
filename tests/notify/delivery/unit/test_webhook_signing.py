"""shared/webhooks.py: Standard Webhooks signing and verification, and the URL allow-list."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.webhooks import SeenIds, UnsafeUrl, Verifier, WebhookRejected, body_bytes, check_url, new_secret, sign


def _delivery(secret, payload=None, msg_id="msg_1", when=None):
    body = body_bytes(payload or {"type": "notification.general", "data": {"subject": "学习通知"}})
    return body, sign(secret, msg_id, body, when)


def test_a_signed_delivery_verifies_and_keeps_chinese_text():
    secret = new_secret()
    body, headers = _delivery(secret)
    assert Verifier(secret, SeenIds()).verify(body, headers)["data"]["subject"] == "学习通知"
    assert headers["webhook-signature"].startswith("v1,")


@pytest.mark.parametrize("tamper, reason", [
    (lambda body, headers, secret: (body.replace("学习".encode(), "休息".encode()), headers, secret), "bad_signature"),
    (lambda body, headers, secret: (body, headers, new_secret()), "bad_signature"),
    (lambda body, headers, secret: (body, {**headers, "webhook-signature": "v1,AAAA"}, secret), "bad_signature"),
    (lambda body, headers, secret: (body, {**headers, "webhook-id": "msg_2"}, secret), "bad_signature"),
    (lambda body, headers, secret: (body, {k: v for k, v in headers.items() if k != "webhook-id"}, secret),
     "missing_headers"),
    (lambda body, headers, secret: (body, {**headers, "webhook-signature": "garbage"}, secret), "malformed"),
])
def test_tampered_or_forged_deliveries_are_rejected(tamper, reason):
    secret = new_secret()
    body, headers, key = tamper(*_delivery(secret), secret)
    with pytest.raises(WebhookRejected) as exc:
        Verifier(key, SeenIds()).verify(body, headers)
    assert exc.value.reason == reason


def test_a_timestamp_older_than_five_minutes_is_rejected():
    secret = new_secret()
    body, headers = _delivery(secret, when=datetime.now(UTC) - timedelta(minutes=6))
    with pytest.raises(WebhookRejected) as exc:
        Verifier(secret, SeenIds()).verify(body, headers)
    assert exc.value.reason == "too_old"
    body, headers = _delivery(secret, when=datetime.now(UTC) - timedelta(minutes=4))
    assert Verifier(secret, SeenIds()).verify(body, headers)


def test_a_replayed_message_id_is_rejected_the_second_time():
    secret = new_secret()
    verifier = Verifier(secret, SeenIds())
    body, headers = _delivery(secret)
    verifier.verify(body, headers)
    with pytest.raises(WebhookRejected) as exc:
        verifier.verify(body, headers)
    assert exc.value.reason == "replayed"


def test_seen_ids_forget_after_their_ttl():
    now = [0.0]
    seen = SeenIds(ttl=10, clock=lambda: now[0])
    assert seen.first_time("a") and not seen.first_time("a")
    now[0] = 11
    assert seen.first_time("a")


def _resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError("no such host")
        return table[host]
    return resolve


@pytest.mark.parametrize("url, addresses, reason", [
    ("http://localhost/hook", ["127.0.0.1"], "internal_address"),
    ("http://intranet.example/hook", ["10.1.2.3"], "internal_address"),
    ("http://intranet.example/hook", ["192.168.0.7"], "internal_address"),
    ("http://meta.example/latest", ["169.254.169.254"], "internal_address"),
    ("http://v6.example/", ["::1"], "internal_address"),
    ("http://mapped.example/", ["::ffff:127.0.0.1"], "internal_address"),
    ("http://zero.example/", ["0.0.0.0"], "internal_address"),
    ("http://mixed.example/", ["93.184.216.34", "10.0.0.1"], "internal_address"),
    ("ftp://files.example/", ["93.184.216.34"], "scheme"),
    ("http://user:pw@files.example/", ["93.184.216.34"], "credentials"),
    ("http://nowhere.invalid/", None, "unresolvable"),
])
def test_internal_and_unresolvable_urls_are_refused(url, addresses, reason):
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    table = {host: addresses} if addresses is not None else {}
    with pytest.raises(UnsafeUrl) as exc:
        check_url(url, "", resolver=_resolver(table))
    assert exc.value.reason == reason


def test_public_addresses_pass_and_the_allow_list_opens_internal_ones():
    resolver = _resolver({"hooks.example": ["93.184.216.34"], "wecom.internal": ["10.8.0.5"],
                          "localhost": ["127.0.0.1"]})
    assert check_url("https://hooks.example/x", "", resolver) == ["93.184.216.34"]
    with pytest.raises(UnsafeUrl):
        check_url("http://wecom.internal/x", "", resolver)
    assert check_url("http://wecom.internal/x", "10.8.0.0/16", resolver) == ["10.8.0.5"]
    assert check_url("http://wecom.internal/x", "wecom.internal", resolver) == ["10.8.0.5"]
    assert check_url("http://localhost:8080/x", "127.0.0.1", resolver) == ["127.0.0.1"]
    with pytest.raises(UnsafeUrl):
        check_url("http://localhost:8080/x", "10.8.0.0/16, other.host", resolver)


def test_the_real_resolver_refuses_loopback_by_default():
    with pytest.raises(UnsafeUrl):
        check_url("http://127.0.0.1:9/hook")
