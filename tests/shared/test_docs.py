"""``/docs`` works on an intranet: the page and everything it loads come from the service itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import sync_playwright

from shared.settings import SERVICES
from shared.testing.serving import launch_chromium

ABSOLUTE = re.compile(r"""https?://[^\s"'<>)]+""")


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.found.append(value)


def _css_urls(css: str) -> list[str]:
    return [u.strip("'\"") for u in re.findall(r"url\(([^)]*)\)", css) if not u.strip("'\"").startswith("data:")]


@pytest.mark.parametrize("name", SERVICES)
def test_docs_and_every_asset_it_references_come_from_the_service(name, services, settings, sent):
    services[name].start(settings, sender=sent)
    client = services[name].create_app(settings).test_client()
    base = "http://localhost"  # the test client's own host
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert ABSOLUTE.findall(html) == []  # no host named in the page, ours or another
    parser = References()
    parser.feed(html)
    assert len(parser.found) == 3, parser.found  # swagger-ui.css, the standalone preset, the bundle
    assert re.search(r'"validatorUrl":\s*null', html)  # no badge image from validator.swagger.io
    for reference in parser.found:
        url = urljoin(base + "/docs", reference)
        assert urlsplit(url).netloc == "localhost", reference
        behind_a_prefix = urljoin(f"https://xianfeng.example.internal/{name}/docs", reference)  # an ingress path
        assert urlsplit(behind_a_prefix).path.startswith(f"/{name}/docs/assets/"), reference
        asset = client.get(urlsplit(url).path)
        assert asset.status_code == 200, reference
        assert int(asset.headers["Content-Length"]) > 1000
        if reference.endswith(".css"):
            css = asset.get_data(as_text=True)
            assert [u for u in _css_urls(css) if urlsplit(urljoin(url, u)).netloc != "localhost"] == []
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and "/docs/assets/" not in spec.get_data(as_text=True)  # not an API operation
    assert client.get("/docs/assets/index.html").status_code == 404  # the bundle's demo page is not served
    assert client.get("/docs/assets/../../openapi.json").status_code == 404


@pytest.mark.browser
def test_docs_render_in_chromium_with_no_request_leaving_the_service(services, settings, sent, serve):
    services["pledge"].start(settings, sender=sent)
    base = serve(services["pledge"].create_app(settings))
    requested: list[str] = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()

        def record(route):
            requested.append(route.request.url)
            if urlsplit(route.request.url).netloc == urlsplit(base).netloc:
                route.continue_()
            else:
                route.abort()  # as an intranet without the internet would

        page.route("**/*", record)
        page.goto(base + "/docs")
        page.wait_for_selector(".opblock", timeout=30_000)  # operations rendered from /openapi.json
        operations = page.locator(".opblock").count()
        title = page.locator(".info .title").inner_text()
        page.screenshot(path=str(settings.data_dir / "docs.png"), full_page=False)
        browser.close()
    assert operations > 10 and title.startswith(services["pledge"].title)
    assert [u for u in requested if urlsplit(u).netloc != urlsplit(base).netloc] == []
    assert any(u.endswith("/openapi.json") for u in requested)
