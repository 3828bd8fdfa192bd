"""A ballot answered through ``/b/<token>`` in headless Chromium, one screen per target, then the thank-you page."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from services.survey.models import Answer

from .conftest import invitations

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def served(survey, settings):
    server = make_server("127.0.0.1", 0, survey.create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def test_a_ballot_answered_in_chromium(make_round, served, sent, survey):
    from playwright.sync_api import sync_playwright

    make_round(allow_partial=False)
    token = invitations(sent)[211]  # three members of branch 4 to rate
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
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
        assert sorted(a.score for a in s.query(Answer)) == [4] * 8 + [5] * 4
