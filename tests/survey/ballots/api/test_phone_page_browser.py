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

    from services.survey.directory import service_targets
    from shared.messages import ServiceTargetsChanged

    from ...directory.api.test_service_targets_changed import target

    with survey.db.session() as s:  # 三服务: member 201 promised the employees of branch 4 something this year
        promise = target(7, ("person", 201), title="每月帮带一名新员工")
        service_targets.apply(s, ServiceTargetsChanged(targets=[promise]))
    make_round(allow_partial=False, period_start="2026-01-01", period_end="2026-12-31")
    token = invitations(sent)[211]  # three members of branch 4 to rate
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
        page.goto(f"{served}/b/{token}")
        names, promised = [], []
        for step in range(3):
            names.append(page.inner_text("#target"))
            shown = page.locator("#service-targets")
            promised.append(shown.inner_text() if shown.count() and shown.is_visible() else "")
            for dim in ("awareness", "skill", "performance", "solidarity"):
                page.check(f"input[name='a-{step}-{dim}'][value='{4 if step else 5}']")
            page.click("button[value='next']" if step < 2 else "button[value='submit']")
        assert names == ["党员201", "党员202", "党员203"]
        assert "每月帮带一名新员工" in promised[0] and promised[1:] == ["", ""]  # beside the questions it concerns
        assert page.inner_text("#headline") == "感谢参与"
        page.goto(f"{served}/b/{token}")
        assert page.inner_text("#headline") == "选票已使用"
        browser.close()
    with survey.db.session() as s:
        assert pooled_scores(s) == [4] * 8 + [5] * 4
