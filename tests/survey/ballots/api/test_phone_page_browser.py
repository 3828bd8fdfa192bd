"""A ballot answered through ``/b/<token>`` in headless Chromium, one screen per target, then the thank-you page."""

from __future__ import annotations

import pytest

from shared.testing.serving import launch_chromium, serving

from ...support import invitations, pooled_scores

pytestmark = pytest.mark.browser

@pytest.fixture
def served(survey, settings):
    with serving(survey.create_app(settings)) as base:
        yield base


def test_a_ballot_answered_in_chromium(make_round, served, sent, survey):
    from playwright.sync_api import sync_playwright

    make_round(allow_partial=False)
    token = invitations(sent)[211]  # three members of branch 4 to rate
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
        page.goto(f"{served}/b/{token}")
        names = []
        for step in range(3):
            names.append(page.inner_text("#target"))
            for dim in ("awareness", "skill", "performance", "solidarity"):
                page.check(f"input[name='a-{step}-{dim}'][value='{4 if step else 5}']")
            page.click("button[value='next']" if step < 2 else "button[value='submit']")
        assert names == ["党员201", "党员202", "党员203"]
        assert page.inner_text("#headline") == "感谢参与"
        page.goto(f"{served}/b/{token}")
        assert page.inner_text("#headline") == "选票已使用"
        browser.close()
    with survey.db.session() as s:
        assert pooled_scores(s) == [4] * 8 + [5] * 4
