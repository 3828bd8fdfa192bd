"""The link in a ``results`` notification opens the results page with no header: signed for the round and the
recipient's org, it shows that org and its subtree; a tampered, expired or foreign grant is a refusal page."""

from __future__ import annotations

import random
from urllib.parse import urlsplit

import pytest

from services.survey.aggregation import inline
from shared import links

from ...support import answer_all


@pytest.fixture
def finished(make_round, survey, survey_client, sent, admin):
    rid = make_round()["id"]
    answer_all(survey_client, sent, random.Random(4))
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    [note] = [p for p in sent.of("notify.send") if p["category"] == "results"]
    return rid, {i["person_id"]: urlsplit(i["link"]) for i in note["items"]}


def open_link(client, url):
    r = client.get(url.path, query_string=url.query)  # no Authorization header
    return r, r.get_data(as_text=True)


def test_a_secretary_opens_their_org_and_subtree_with_no_header(finished, survey_client, settings):
    _, urls = finished
    assert urls[201].geturl().startswith(settings.service("survey").url)  # absolute
    r, html = open_link(survey_client, urls[201])
    assert r.status_code == 200 and r.mimetype == "text/html" and "no-store" in r.headers["Cache-Control"]
    assert "范围：炼钢二支部及下级组织" in html
    assert all(f"党员{p}" in html for p in (201, 202, 203)) and "党员101" not in html and "党员301" not in html
    assert html.count("<svg") == 1  # branch 4 only
    r, html = open_link(survey_client, urls[101])
    assert r.status_code == 200 and "党员101" in html and "党员201" not in html


def refused(client, rid, grant) -> tuple[int, str]:
    r = client.get(f"/results/{rid}", query_string={"grant": grant})
    assert r.mimetype == "text/html"
    return r.status_code, r.get_data(as_text=True)


def test_a_bad_grant_is_refused_with_a_page_that_says_why(finished, survey_client, settings, make_round):
    rid, urls = finished
    grant = urls[201].query.split("grant=", 1)[1]
    status, html = refused(survey_client, rid, grant[:-3] + ("AAA" if not grant.endswith("AAA") else "BBB"))
    assert status == 401 and "链接无效" in html and "党员" not in html
    expired = links.sign(settings, "results", {"round": rid, "org": 4, "sub": 201}, ttl=-1)
    status, html = refused(survey_client, rid, expired)
    assert status == 401 and "链接已过期" in html
    english = survey_client.get(f"/results/{rid}", query_string={"grant": expired}, headers={"Accept-Language": "en"})
    assert english.status_code == 401 and "Link expired" in english.get_data(as_text=True)
    status, html = refused(survey_client, rid + 1, grant)  # a grant for one round opens no other
    assert status == 403 and "无权查看" in html
    other_purpose = links.sign(settings, "pledge_review", {"round": rid, "org": 4})
    assert refused(survey_client, rid, other_purpose)[0] == 401
    unknown_org = links.sign(settings, "results", {"round": rid, "org": 999, "sub": 201})
    assert refused(survey_client, rid, unknown_org)[0] == 403
    not_an_org = links.sign(settings, "results", {"round": rid, "org": "4' or 1=1", "sub": 201})
    assert refused(survey_client, rid, not_an_org)[0] == 403
    assert refused(survey_client, rid, "")[0] == 401
    status, html = refused(survey_client, rid, "x" * 5000)
    assert status == 401 and "Traceback" not in html


def test_a_round_without_results_yet_says_so(make_round, survey_client, settings):
    rid = make_round()["id"]
    status, html = refused(survey_client, rid, links.sign(settings, "results", {"round": rid, "org": 3}))
    assert status == 409 and "结果尚未生成" in html
    status, _ = refused(survey_client, 9999, links.sign(settings, "results", {"round": 9999, "org": 3}))
    assert status == 404
