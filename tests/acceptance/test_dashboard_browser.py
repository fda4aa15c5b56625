"""The dashboard in a real browser (Playwright for Python driving Debian's chromium) against a
real `pipelineos serve` on a real PostgreSQL, at a phone's width (375 px) and a desktop's
(1280 px): a hot lead posted through the API appears in an open inbox without a reload; the
owner opens it, marks it contacted with a note and sees it in the list and in the API; an open
circuit is reset from the system page; with a key, the owner signs in and out.

Each page is saved as a screenshot at both widths: in a temporary folder, or in the folder
named by SCREENSHOTS_DIR (``SCREENSHOTS_DIR=docs/screenshots`` refreshes the committed ones, so
an ordinary run leaves the checkout unchanged).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.acceptance.service import running_service
from tests.fakes.twilio_server import FakeTwilio, serve_twilio, twilio_env

playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR")
             or Path(tempfile.gettempdir()) / "pipelineos-screenshots").resolve()
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}
HOT = {"post_text": "URGENT: need a plumber in Dallas tonight, water heater burst and the "
                    "garage is flooding. Anyone? Call 214-555-0134",
       "group_name": "Dallas Home Services"}
KEY = "dashboard-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: .ci/run installs it (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def new_page(browser: object, width: str) -> object:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h},  # type: ignore[attr-defined]
                                  device_scale_factor=1, is_mobile=width == "phone",
                                  has_touch=width == "phone")
    return context.new_page()


def shoot(page: object, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{WIDTHS[width][0]}.png"),  # type: ignore[attr-defined]
                    full_page=True)


def assert_accessible(page: object) -> None:
    """axe-core's WCAG 2 A/AA rules (labels, contrast, names, landmarks) find nothing."""
    found = axe_api.Axe().run(page, options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    problems = [f"{v['id']}: {[n['html'][:80] for n in v['nodes']]}"
                for v in found.response["violations"]]
    assert problems == [], problems


def assert_fits(page: object, width: str) -> None:
    """No horizontal scroll, and every control a finger can tap is at least 44 px tall/wide."""
    fit = page.evaluate(  # type: ignore[attr-defined]
        """() => {
            const wide = document.scrollingElement.scrollWidth;
            const small = [...document.querySelectorAll(
                'main button, main .button, main input, main select, main textarea, '
                + '.lead > a, .counts a, header a, header button, summary')]
              .filter(e => e.offsetParent !== null && e.type !== 'hidden')
              // a checkbox is tapped through its label, which holds it
              .map(e => (e.type === 'checkbox' || e.type === 'radio') && e.closest('label')
                        ? e.closest('label') : e)
              .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
              .filter(([, r]) => r.height < 44 || r.width < 44)
              .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`);
            return {wide, small};
        }""")
    assert fit["wide"] <= WIDTHS[width][0], f"horizontal scroll: {fit['wide']} px"
    assert fit["small"] == [], f"tap targets under 44 px: {fit['small']}"


@pytest.mark.slow
@pytest.mark.parametrize("width", list(WIDTHS))
def test_live_inbox_status_change_and_circuit_reset(
        browser: object, width: str, migrated_url: str, service_dir: Path) -> None:
    with serve_twilio(FakeTwilio()) as fake, running_service(
            service_dir, DATABASE_URL=migrated_url, TWILIO_CIRCUIT_THRESHOLD="2",
            TWILIO_RETRY_ATTEMPTS="1", TWILIO_CIRCUIT_RESET_TIMEOUT="600000",
            **twilio_env(fake)) as service:
        page = new_page(browser, width)
        page.goto(service.base_url + "/")  # type: ignore[attr-defined]
        page.wait_for_selector("body[data-live=on]")  # type: ignore[attr-defined]
        assert "No leads yet" in page.inner_text("main")  # type: ignore[attr-defined]

        posted = time.monotonic()
        reply = httpx.post(f"{service.base_url}/api/leads/analyze", json=HOT, timeout=30)
        assert reply.status_code == 200, reply.text
        lead_id = reply.json()["lead"]["id"]
        row = page.locator(f'#lead-list li[data-id="{lead_id}"]')  # type: ignore[attr-defined]
        row.wait_for(timeout=10_000)  # no reload: the event stream brought it
        print(f"lead shown {time.monotonic() - posted:.2f} s after the API answered")
        assert "new" in row.inner_text()
        page.wait_for_selector('[data-count="new"]:text-is("1")')  # type: ignore[attr-defined]
        page.reload()  # type: ignore[attr-defined]
        assert str(lead_id) in page.locator(".leads.hot li").first.get_attribute("data-id")  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "inbox", width)

        page.click("summary:has-text('Filter and search')")  # type: ignore[attr-defined]
        page.fill("input[name=q]", "water heater")  # type: ignore[attr-defined]
        page.select_option("select[name=priority]", "high")  # type: ignore[attr-defined]
        page.click("button:has-text('Apply')")  # type: ignore[attr-defined]
        page.wait_for_url("**/?q=water*")  # type: ignore[attr-defined]
        assert page.locator("#lead-list li[data-id]").count() == 1  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "inbox-filtered", width)
        page.goto(service.base_url + "/?q=no+such+words")  # type: ignore[attr-defined]
        assert "No leads match these filters" in page.inner_text("main")  # type: ignore[attr-defined]
        page.goto(service.base_url + "/")  # type: ignore[attr-defined]
        row = page.locator(f'#lead-list li[data-id="{lead_id}"]')  # type: ignore[attr-defined]

        row.locator("a").click()
        page.wait_for_url(f"**/leads/{lead_id}")  # type: ignore[attr-defined]
        main = page.inner_text("main")  # type: ignore[attr-defined]
        assert "water heater burst" in main and "Dallas Home Services" in main
        assert "Reply draft" in main and "plumbing" in main
        page.fill("#note", "Called him, going at 7pm")  # type: ignore[attr-defined]
        page.select_option("#note-status", "contacted")  # type: ignore[attr-defined]
        page.click("text=Save note")  # type: ignore[attr-defined]
        page.wait_for_selector("#lead-status:has-text('contacted')")  # type: ignore[attr-defined]
        assert "Called him, going at 7pm" in page.inner_text("#history")  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "lead", width)

        page.click("header a:text-is('Inbox')")  # type: ignore[attr-defined]
        listed = page.locator(f'#lead-list li[data-id="{lead_id}"]')  # type: ignore[attr-defined]
        assert "contacted" in listed.inner_text()
        api = httpx.get(f"{service.base_url}/api/leads/{lead_id}").json()
        assert api["status"] == "contacted"

        page.click("header a:text-is('Pipeline')")  # type: ignore[attr-defined]
        card = page.locator(f'.column[data-status="contacted"] [data-id="{lead_id}"]')  # type: ignore[attr-defined]
        card.locator("select").select_option("quoted")
        card.locator("button:has-text('Move')").click()
        quoted = page.locator(f'.column[data-status="quoted"] [data-id="{lead_id}"]')  # type: ignore[attr-defined]
        quoted.locator("input[name=amount]").fill("1,850")
        quoted.locator("button:has-text('Save')").click()
        page.wait_for_selector('.column[data-status="quoted"] .value:has-text("$1,850")')  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "board", width)

        page.click("header a:text-is('Settings')")  # type: ignore[attr-defined]
        page.fill("#area-name", "Dallas")  # type: ignore[attr-defined]
        page.fill("#area-aliases", "DFW, Big D")  # type: ignore[attr-defined]
        page.click("text=Save area")  # type: ignore[attr-defined]
        page.wait_for_selector("text=also DFW, Big D")  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "settings", width)

        page.click("header a:text-is('Numbers')")  # type: ignore[attr-defined]
        assert "Dallas Home Services" in page.inner_text("table")  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "numbers", width)

        # Twilio goes down; two failed sends open the circuit; the owner resets it.
        fake.outage = True
        for _ in range(2):
            httpx.post(f"{service.base_url}/api/test/sms", json={"message": "test"}, timeout=30)
        assert httpx.get(f"{service.base_url}/health").json()["services"]["notifications"][
            "circuitState"] == "OPEN"
        fake.outage = False
        page.click("header a:text-is('System')")  # type: ignore[attr-defined]
        circuit = page.locator('[data-breaker="twilio-api"]')  # type: ignore[attr-defined]
        assert "OPEN" in circuit.inner_text()
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "system", width)
        page.once("dialog", lambda dialog: dialog.accept())  # type: ignore[attr-defined]
        circuit.locator("button:has-text('Reset')").click()
        page.wait_for_selector('[data-breaker="twilio-api"]:has-text("CLOSED")')  # type: ignore[attr-defined]
        assert httpx.get(f"{service.base_url}/health").json()["services"]["notifications"][
            "circuitState"] == "CLOSED"
        log = (service_dir / "logs" / "combined.log").read_text()
        assert '"action": "reset"' in log and "dashboard:loopback" in log
        page.context.close()  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("width", list(WIDTHS))
def test_sign_in_with_the_key_and_out(browser: object, width: str, migrated_url: str,
                                      service_dir: Path) -> None:
    with running_service(service_dir, DATABASE_URL=migrated_url,
                         PIPELINEOS_API_KEY=KEY) as service:
        page = new_page(browser, width)
        page.goto(service.base_url + "/")  # type: ignore[attr-defined]
        page.wait_for_url("**/login?next=%2F")  # type: ignore[attr-defined]
        page.fill("#key", "not-the-key")  # type: ignore[attr-defined]
        page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]
        assert "not one of this server's keys" in page.inner_text("#key-error")  # type: ignore[attr-defined]
        assert_fits(page, width)
        assert_accessible(page)
        shoot(page, "login", width)
        page.fill("#key", KEY)  # type: ignore[attr-defined]
        page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]
        page.wait_for_selector("#status-counts")  # type: ignore[attr-defined]
        cookies = page.context.cookies()  # type: ignore[attr-defined]
        session = next(c for c in cookies if c["name"] == "pipelineos_session")
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        assert KEY not in session["value"]
        page.wait_for_selector("body[data-live=on]")  # type: ignore[attr-defined]
        page.click("text=Sign out")  # type: ignore[attr-defined]
        page.wait_for_url("**/login")  # type: ignore[attr-defined]
        page.goto(service.base_url + "/system")  # type: ignore[attr-defined]
        page.wait_for_url("**/login?next=%2Fsystem")  # type: ignore[attr-defined]
        page.context.close()  # type: ignore[attr-defined]
