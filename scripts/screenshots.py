"""Screenshots of key pages in light and dark mode, for reviewing the theme by eye.

Usage: python scripts/screenshots.py [SITE_DIR] [OUT_DIR]   (build the site first)
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "home": "index.html",
    "capability": "capabilities/rate-optimization.html",
    "role": "organization/roles/platform-engineering-lead.html",
    "raci": "organization/raci.html",
}


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site").resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for name, path in PAGES.items():
                page.goto(base + path)
                page.screenshot(path=str(out / f"{name}-{scheme}.png"), full_page=False)
            page.close()
        browser.close()
    httpd.shutdown()
    httpd.server_close()
    print(f"wrote {len(PAGES) * 2} screenshots to {out}/")


if __name__ == "__main__":
    main()
