"""Real Chromium (Debian's package) driven by Playwright, with no internet.

Every request that is not a local file is recorded. CDN requests for the
pinned Leaflet files are answered from the local xstatic copies (unless a test
cuts the CDN too); basemap tiles get a blank PNG; any other request is aborted
and recorded, so a test can assert a map asks for nothing it should not.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geoconflict.render._assets import ASSETS, asset_path

CHROMIUM = Path("/usr/bin/chromium")
MAP_READY = "window.geoconflict && window.geoconflict.ready === true"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


def _blank_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixel = zlib.compress(b"\x00\x00\x00\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


@dataclass
class Page:
    """An opened map: the Playwright page and what happened while loading it."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium: .ci/run must apt-get install chromium")
        pytest.skip("Chromium is not installed here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def open_map(browser):
    """Open an HTML file; return a Page once the map has drawn (geoconflict.ready)."""
    contexts = []
    by_url = {asset.url: asset for asset in ASSETS.values()}
    tile = _blank_png()

    def opener(path: Path, *, wait: float = 30_000, ready: str | None = MAP_READY, cdn: bool = True) -> Page:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        page = context.new_page()
        result = Page(page)
        page.on("console", lambda msg: result.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: result.errors.append(str(exc)))

        def dialog(d):
            result.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

        def route(request_route):
            url = request_route.request.url
            if url.startswith("file://"):
                return request_route.continue_()
            result.requests.append(url)
            asset = by_url.get(url) if cdn else None
            if asset is not None:
                kind = "application/javascript" if asset.kind == "js" else "text/css"
                return request_route.fulfill(status=200, content_type=kind, body=asset_path(asset).read_bytes())
            if "tile.openstreetmap.org" in url:
                return request_route.fulfill(status=200, content_type="image/png", body=tile)
            result.blocked.append(url)
            return request_route.abort()

        page.route("**/*", route)
        page.goto(path.resolve().as_uri())
        if ready:
            page.wait_for_function(ready, timeout=wait)
        return result

    yield opener
    for context in contexts:
        context.close()
