"""Screenshots of every map and the run report, for a person to review.

Runs ``geoconflict run`` on the example articles into ``maps/example`` (or
uses HTML files you name), opens each page in headless Chromium with every
network request blocked, and writes ``maps/screenshots/<page>.png``. It prints
one line per page: console errors, blocked requests and the screenshot path.

Usage: python bench/screenshots.py [PAGE.html ...] [--out maps/screenshots]
Needs the boundary files (GEOCONFLICT_DATA_DIR) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


def example_pages(folder: Path) -> list[Path]:
    """Run the example articles into ``folder`` and return the HTML pages written."""
    from geoconflict.run import run_all

    outputs = run_all([REPO / "examples" / "articles"], folder)
    return [p for name, p in outputs.files.items() if name.endswith(".html")]


def shoot(pages: list[Path], out: Path) -> int:
    """Screenshot each page; return how many had console errors or network requests."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    bad = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        for page_path in pages:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))

            def route(r, seen=requests):  # type: ignore[no-untyped-def]
                if r.request.url.startswith("file://"):
                    return r.continue_()
                seen.append(r.request.url)
                return r.abort()

            page.route("**/*", route)
            page.goto(page_path.resolve().as_uri())
            if page_path.name != "index.html":
                try:
                    page.wait_for_function("window.geoconflict && geoconflict.ready === true", timeout=20_000)
                except Exception as exc:  # noqa: BLE001 -- still take the screenshot, and say why
                    errors.append(f"map never became ready: {str(exc).splitlines()[0]}")
            page.wait_for_timeout(600)
            target = out / f"{page_path.stem}.png"
            page.screenshot(path=str(target), full_page=page_path.name == "index.html")
            page.close()
            bad += bool(errors or requests)
            print(f"{page_path.name:24} errors={len(errors)} requests={len(requests)} -> {target}")
            for message in errors[:3]:
                print(f"    console: {message}")
        browser.close()
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, help="HTML pages (default: a run on the example articles)")
    parser.add_argument("--out", type=Path, default=REPO / "maps" / "screenshots")
    args = parser.parse_args()
    pages = args.pages or example_pages(REPO / "maps" / "example")
    bad = shoot(pages, args.out)
    print(f"{len(pages)} pages, {bad} with console errors or network requests")


if __name__ == "__main__":
    main()
