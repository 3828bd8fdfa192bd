"""The results page in headless Chromium, opened from a signed link with no header: a 1920×1080 screen (charts
in a grid beside the table), a phone (one column, nothing wider than the screen) and print; screenshots of each."""

from __future__ import annotations

import random

import pytest

from services.survey.aggregation import inline
from shared import links
from shared.testing.serving import launch_chromium, serving

from ...support import answer_all

pytestmark = pytest.mark.browser


@pytest.fixture
def served(survey, settings):
    with serving(survey.create_app(settings)) as base:
        yield base


def boxes(page, selector: str) -> list[dict]:
    return [e.bounding_box() for e in page.query_selector_all(selector)]


def test_the_results_page_fits_a_wide_screen_a_phone_and_print(make_round, survey, survey_client, sent, admin,
                                                                served, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    rid = make_round()["id"]
    answer_all(survey_client, sent, random.Random(6), skip={(213, 203)})
    survey_client.post(f"/api/v1/rounds/{rid}/close", headers=admin)
    inline.run(survey.unit_of_work, rid)
    grant = links.sign(settings, "results", {"round": rid, "org": 1, "sub": 1})
    with sync_playwright() as p:
        browser = launch_chromium(p)
        wide = browser.new_page(viewport={"width": 1920, "height": 1080}, java_script_enabled=False)
        wide.goto(f"{served}/results/{rid}?grant={grant}")
        charts, table = boxes(wide, ".org"), wide.query_selector("#results").bounding_box()
        assert len(charts) == 6
        assert len({round(c["y"]) for c in charts[:3]}) == 1  # three charts a row
        assert table["x"] > charts[2]["x"] + charts[2]["width"]  # the table beside the charts, not below
        assert table["y"] < charts[3]["y"] + charts[3]["height"]
        wide.screenshot(path=tmp_path / "results-1920.png", full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
        phone.goto(f"{served}/results/{rid}?grant={grant}")
        charts = boxes(phone, ".org")
        assert all(c["width"] >= 330 and c["x"] + c["width"] <= 390 for c in charts)  # the screen's width
        assert [c["y"] for c in charts] == sorted(c["y"] for c in charts) and len({c["y"] for c in charts}) == 6
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        assert "防止由合计反推" in phone.inner_text("#results") and "评价人数不足" in phone.inner_text("#results")
        phone.screenshot(path=tmp_path / "results-390.png", full_page=True)

        paper = browser.new_page(viewport={"width": 794, "height": 1123}, java_script_enabled=False)  # A4
        paper.emulate_media(media="print")
        paper.goto(f"{served}/results/{rid}?grant={grant}")
        charts, table = boxes(paper, ".org"), paper.query_selector("#results").bounding_box()
        assert len({round(c["y"]) for c in charts[:3]}) == 1 and table["y"] > charts[-1]["y"]  # 3 a row, table after
        paper.screenshot(path=tmp_path / "results-print.png", full_page=True)
        browser.close()
    assert all((tmp_path / f"results-{n}.png").stat().st_size > 10_000 for n in ("1920", "390", "print"))
