"""Browser tests: Playwright driving Debian's Chromium against a live Django server.

Run with `bin/test -m browser`. Screenshots go to `artifacts/screenshots/` (kept by CI).
"""

import os
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; Django's ORM calls from the test body are
# safe here because the live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page):
    """`screenshot("name")` saves a full-page PNG under artifacts/screenshots/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _save(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _save


@pytest.fixture
def demo_site(transactional_db):
    """The demo site as `seed_demo` builds it (the live server shares this database)."""
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
