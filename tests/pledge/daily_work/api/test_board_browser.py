"""The board's daily-work sections in headless Chromium, on a phone (390×844) and a big screen (1920×1080):
zones with days without incident, posts on duty, volunteer hours; nothing scrolls sideways."""

from __future__ import annotations

import pytest

from shared.testing.serving import axe_violations, launch_chromium, serving

from .test_board import _daily_work


@pytest.fixture
def board_url(pledge, settings, api, tree):
    _daily_work(api, tree)
    with serving(pledge.create_app(settings)) as base:
        yield f"{base}/board/{tree.c1}"


@pytest.mark.browser
def test_daily_work_sections_on_a_phone_and_a_big_screen(board_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            assert page.goto(board_url).status == 200
            for device, width, height in (("phone", 390, 844), ("screen", 1920, 1080)):
                page.set_viewport_size({"width": width, "height": height})
                zone = page.locator("[data-zone]").first
                assert "12 天无事故" in zone.inner_text() and "转炉平台5S责任区" in zone.inner_text()
                assert page.locator("[data-post]").count() == 1
                assert "李书记" in page.locator("[data-post]").first.inner_text()
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), device
                columns = page.evaluate("getComputedStyle(document.querySelector('.cards')).gridTemplateColumns")
                assert (len(columns.split()) == 1) if device == "phone" else (len(columns.split()) >= 4)
                shot = tmp_path / f"board-daily-{device}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
                assert axe_violations(page) == [], device  # no serious or critical accessibility violation
        finally:
            browser.close()
