"""The pledge service's pages anyone can use, in headless Chromium (one browser for the module): the board and
the pledge page a notification opens (with its review form) pass axe-core with no serious or critical violation,
and the review form works at 200 % zoom without JavaScript."""

from __future__ import annotations

import pytest

from pledge.support import pledge_body, published_pledge
from services.pledge.pledges import linking
from shared.testing.serving import axe_violations, chromium, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as one:
        yield one


@pytest.fixture
def served(pledge, settings):
    with serving(pledge.create_app(settings)) as base:
        yield base


def test_the_board_and_the_pledge_page_pass_axe_and_review_without_javascript(browser, api, tree, settings,
                                                                              served):
    shown = published_pledge(api, "person", tree.m2, title="吨钢工序能耗再降 2%")
    api.post(f"/api/v1/pledges/{shown}/progress", {"note": "二季度过半", "values": {"降本": 600}}, status=201)
    pid = api.post("/api/v1/pledges", pledge_body("person", tree.m1, title="岗位降本 800 万元"),
                   as_=("member", tree.m1), status=201).get_json()["id"]
    api.post(f"/api/v1/pledges/{pid}/submit", as_=("member", tree.m1), status=200)
    review = linking.pledge_link(settings, pid, tree.s1).replace("http://127.0.0.1:5001", served)
    found = {}
    page = browser.new_page()
    for name, url in (("board", f"{served}/board/{tree.c1}"), ("empty board", f"{served}/board/{tree.b3}"),
                      ("pledge to review", review), ("refused", f"{served}/pledges/{pid}?grant=altered")):
        page.goto(url)
        found[name] = axe_violations(page)
    page.close()

    # the review form at 200 % zoom of a 1280×800 window, no JavaScript: a plain POST, then the page again
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(review)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("label:has(input[value='return'])")
    page.fill("#comment", "目标再量化")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "已提交：退回修改" in page.inner_text("#notice") and page.locator("form").count() == 0
    context.close()
    page = browser.new_page()
    page.goto(review)
    found["pledge reviewed"] = axe_violations(page)
    page.close()
    assert found == {k: [] for k in found}
    assert api.get(f"/api/v1/pledges/{pid}", status=200).get_json()["state"] == "returned"
