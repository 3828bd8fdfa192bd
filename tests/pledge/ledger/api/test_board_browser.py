"""The board page in headless Chromium: on a phone and on a big screen, with completion bars, no login."""

from __future__ import annotations

import pytest

from pledge.support import published_pledge
from shared.testing.serving import launch_chromium, serving


@pytest.fixture
def board_url(pledge, settings, api, tree):
    pid = published_pledge(api, "person", tree.m1, title="吨钢工序能耗再降 2%")
    api.post(f"/api/v1/pledges/{pid}/progress", {"note": "二季度过半", "values": {"降本": 600, "合格率": 99.9}},
             status=201)
    published_pledge(api, "org", tree.b2, title="党员身边无事故")
    with serving(pledge.create_app(settings)) as base:
        yield f"{base}/board/{tree.c1}"


@pytest.mark.browser
@pytest.mark.parametrize(("device", "width", "height"), [("phone", 390, 844), ("screen", 1920, 1080)])
def test_board_renders_with_completion_bars(board_url, tmp_path, device, width, height):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            response = page.goto(board_url)
            assert response.status == 200
            assert page.title() == "转炉厂党委 · 承诺台账"
            assert page.locator("article").count() == 2
            first = page.locator("article").first
            assert "吨钢工序能耗再降 2%" in first.inner_text() and "二季度过半" in first.inner_text()
            bar = first.locator("[role=progressbar]")
            assert bar.get_attribute("aria-valuenow") == "88"  # (600/800 + 1) / 2
            filled = bar.locator("span").bounding_box()["width"] / bar.bounding_box()["width"]
            assert 0.85 < filled < 0.9
            no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert no_sideways_scroll
            columns = page.evaluate("getComputedStyle(document.querySelector('main')).gridTemplateColumns")
            assert (len(columns.split()) == 1) if device == "phone" else (len(columns.split()) >= 3)
            shot = tmp_path / f"board-{device}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
