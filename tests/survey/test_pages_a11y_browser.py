"""The survey's pages anyone can use, in headless Chromium (one browser for the module): the ballot page and the
results page pass axe-core with no serious or critical violation; the ballot works at 200 % zoom and without
JavaScript, a plain form POST through the same one-time submission."""

from __future__ import annotations

import random

import pytest

from services.survey.aggregation import inline
from shared import links
from shared.testing.serving import axe_violations, chromium, serving

from .support import answer_all, invitations, pooled_scores

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as one:
        yield one


@pytest.fixture
def served(survey, settings):
    with serving(survey.create_app(settings)) as base:
        yield base


def test_the_ballot_and_results_pages_pass_axe(browser, make_round, survey, survey_client, sent, admin, served,
                                               settings):
    round_ = make_round(allow_partial=False)
    token = invitations(sent)[211]
    page = browser.new_page()
    page.goto(f"{served}/b/{token}")
    found = {"ballot": axe_violations(page)}
    page.click("button[value='next']")  # nothing chosen: the same screen with its error
    assert page.locator("[role=alert]").count() == 1
    found["ballot error"] = axe_violations(page)
    for dim in ("awareness", "skill", "performance", "solidarity"):
        page.check(f"input[name='a-0-{dim}'][value='4']")
    page.click("button[value='next']")
    found["ballot second screen"] = axe_violations(page)
    page.goto(f"{served}/b/unknown-token")
    found["ballot refused"] = axe_violations(page)
    answer_all(survey_client, sent, random.Random(6))
    survey_client.post(f"/api/v1/rounds/{round_['id']}/close", headers=admin)
    inline.run(survey.unit_of_work, round_["id"])
    grant = links.sign(settings, "results", {"round": round_["id"], "org": 1, "sub": 1})
    page.goto(f"{served}/results/{round_['id']}?grant={grant}")
    found["results"] = axe_violations(page)
    page.goto(f"{served}/results/{round_['id']}?grant=altered")
    found["results refused"] = axe_violations(page)
    page.close()
    assert found == {k: [] for k in found}


FITS = """() => {
  const width = window.innerWidth;
  const out = [...document.querySelectorAll('label, button, legend, h1, h2, p')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > width + 0.5; })
    .map(e => e.tagName + ':' + e.textContent.trim().slice(0, 20));
  return {scroll: document.documentElement.scrollWidth <= width, outside: out};
}"""


@pytest.mark.parametrize(("width", "height"), [(640, 400), (320, 512)], ids=["1280x800 at 200%", "reflow 320"])
def test_the_ballot_at_200_percent_zoom_without_javascript(browser, make_round, survey, sent, served, width, height):
    make_round(allow_partial=False)
    token = invitations(sent)[211]  # three members of branch 4 to rate
    # 200 % zoom of a 1280×800 window: 640×400 CSS pixels, each drawn as 2×2 device pixels; no JavaScript at all
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=2,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served}/b/{token}")
    for step in range(3):
        assert page.evaluate(FITS) == {"scroll": True, "outside": []}, f"screen {step + 1}"
        for dim in ("awareness", "skill", "performance", "solidarity"):
            page.click(f"label:has(input[name='a-{step}-{dim}'][value='5'])")  # the label is the target
        button = page.locator("button[value='next']" if step < 2 else "button[value='submit']")
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24 and box["x"] + box["width"] <= width
        with page.expect_navigation():  # a plain form POST: the next screen is a new page
            button.click()
    assert page.inner_text("#headline") == "感谢参与"
    assert page.evaluate(FITS) == {"scroll": True, "outside": []}
    page.goto(f"{served}/b/{token}")
    assert page.inner_text("#headline") == "选票已使用"  # one time, as through the API
    context.close()
    with survey.db.session() as s:
        assert pooled_scores(s) == [5] * 12  # into the pool, unlinked, like every submission
