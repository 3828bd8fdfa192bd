import threading

from sqlalchemy import func, select


def _post(client, headers, body, key="key-1"):
    return client.post("/api/v1/orgs", json=body, headers={**headers, "Idempotency-Key": key})


ORG = {"name": "杭钢集团党委", "code": "HG", "kind": "committee"}


def test_replay_returns_the_first_response_and_does_nothing_again(pledge_client, pledge, auth_headers, sent):
    h = auth_headers("admin")
    first = _post(pledge_client, h, ORG)
    again = _post(pledge_client, h, ORG)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    from services.pledge.models import Org

    with pledge.db.session() as s:
        assert s.execute(select(func.count()).select_from(Org)).scalar_one() == 1
    assert len(sent.of("notify.directory_changed")) == 1


def test_same_key_different_body_is_422(pledge_client, auth_headers):
    h = auth_headers("admin")
    assert _post(pledge_client, h, ORG).status_code == 201
    response = _post(pledge_client, h, {**ORG, "name": "别的"})
    assert response.status_code == 422 and response.get_json()["error"] == "idempotency_mismatch"
    assert response.get_json()["errors"] == {"Idempotency-Key": ["该键已用于不同的请求内容"]}  # Chinese throughout
    en = _post(pledge_client, {**h, "Accept-Language": "en"}, {**ORG, "name": "别的"}).get_json()
    assert en["errors"] == {"Idempotency-Key": ["key reused with a different body"]}


def test_keys_are_scoped_per_caller(pledge_client, auth_headers, token):
    assert _post(pledge_client, auth_headers("admin"), ORG).status_code == 201
    other_admin = {"Authorization": f"Bearer {token('admin', sub='someone-else')}"}
    # same key from another caller is a different request: here a conflict on the org code
    assert _post(pledge_client, other_admin, ORG).status_code == 409


def test_concurrent_requests_with_one_key_have_one_effect(pledge, settings, auth_headers):
    app = pledge.create_app(settings)
    h = auth_headers("admin")
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def call() -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(_post(client, h, ORG, key="race").status_code)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from services.pledge.models import Org

    with pledge.db.session() as s:
        assert s.execute(select(func.count()).select_from(Org)).scalar_one() == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
