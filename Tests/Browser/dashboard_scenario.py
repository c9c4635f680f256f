"""The dashboard and the returns portal in a real browser (headless chromium).

A member of staff signs in and keeps the orders page open; a Shopify webhook
order arrives and its row appears on that page by itself (Server-Sent Events,
no reload); its page shows its timeline once it has shipped; a dead letter is
shown and replayed; the customer asks for a return in the returns portal, and
the order page ends at `refunded`.

IntegrationTests.BrowserTests runs this script (so `make test` does), after
starting `oms serve` and the workers on a RabbitMQ vhost of its own, stocking
the order's SKUs and dead-lettering a malformed message. By hand, against such
a server:

    python3 Tests/Browser/dashboard_scenario.py --base-url http://127.0.0.1:8080 \\
        --password "$OMS_ADMIN_PASSWORD" --shopify-secret "$OMS_SHOPIFY_SECRET" \\
        --webhook order.json --dead-letter MESSAGE_ID --screenshots .state/screenshots

Needs chromium and chromedriver (Debian: apt-get install chromium
chromium-driver) and selenium (python3 -m pip install selenium); `make
test-deps` installs them. Prints one line per step. Exits 0 when every step
passed; 1 when one failed, leaving failed-STEP.png and failed-STEP.html in the
screenshots folder; 2 when the browser or selenium is missing.
"""

import argparse
import base64
import glob
import hashlib
import hmac
import json
import os
import shutil
import sys
import time
import urllib.request

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

MISSING_BROWSER = 2
BUDGET_SECONDS = 150

# Keeps every EventSource the page opens, so the scenario can wait until the
# page is listening before it sends an order (added before any page script runs).
RECORD_EVENT_SOURCES = """
window.omsEventSources = [];
const PageEventSource = window.EventSource;
window.EventSource = function (url, options) {
  const source = new PageEventSource(url, options);
  window.omsEventSources.push(source);
  return source;
};
window.EventSource.OPEN = PageEventSource.OPEN;
"""


def missing_tools():
    """What of chromium, chromedriver and selenium is not installed."""
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    return missing + (["selenium"] if webdriver is None else [])


class StepFailed(Exception):
    pass


class Scenario:
    def __init__(self, arguments):
        self.arguments = arguments
        self.base_url = arguments.base_url.rstrip("/")
        with open(arguments.webhook, encoding="utf-8") as webhook:
            self.order = json.load(webhook)
        self.order_id = f"shopify-{self.order['id']}"
        self.deadline = time.monotonic() + BUDGET_SECONDS
        os.makedirs(arguments.screenshots, exist_ok=True)
        for stale in glob.glob(os.path.join(arguments.screenshots, "failed-*")):
            os.remove(stale)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
        self.driver.set_page_load_timeout(60)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_EVENT_SOURCES})

    def wait(self, condition, failure, seconds, every=0.25):
        """Polls `condition(driver)` until it is truthy, for at most `seconds`
        and never past the scenario's budget; fails with `failure`. An element
        read while its page is being replaced only means "not yet"."""
        timeout = max(1.0, min(seconds, self.deadline - time.monotonic()))
        wait = WebDriverWait(self.driver, timeout, poll_frequency=every,
                             ignored_exceptions=[StaleElementReferenceException])
        try:
            return wait.until(condition)
        except TimeoutException:
            raise StepFailed(f"{failure} (waited {timeout:.0f} s)") from None

    def open(self, path):
        self.driver.get(self.base_url + path)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def text_of(self, css):
        found = self.driver.find_elements(By.CSS_SELECTOR, css)
        return found[0].text if found else None

    def heading_is(self, title):
        return lambda driver: self.text_of("h1") == title

    def screenshot(self, name):
        self.driver.save_screenshot(os.path.join(self.arguments.screenshots, f"{name}.png"))

    def keep_failure(self, step):
        base = os.path.join(self.arguments.screenshots, f"failed-{step}")
        self.driver.save_screenshot(base + ".png")
        with open(base + ".html", "w", encoding="utf-8") as page:
            page.write(f"<!-- {self.driver.current_url} -->\n{self.driver.page_source}")
        return base

    # The steps, in order.

    def sign_in(self):
        self.open("/")
        self.wait(self.heading_is("Sign in"), "/ did not lead to the sign-in page", 30)
        self.find("input[name=password]").send_keys(self.arguments.password)
        self.find("main form button").click()
        self.wait(self.heading_is("Orders"), "signing in did not open the orders page", 60)
        self.screenshot("1-signed-in")

    def order_appears_live(self):
        self.wait(lambda driver: driver.execute_script(
            "return omsEventSources.length > 0 && omsEventSources.every(s => s.readyState === EventSource.OPEN)"),
            "the orders page did not connect to /events", 30)
        self.driver.execute_script("window.omsSameDocument = true")
        self.send_webhook()
        row = f"tr#order-{self.order_id}"
        self.wait(lambda driver: self.text_of(row + " td.status"),
                  f"{self.order_id} did not appear on the open orders page", 60)
        if not self.driver.execute_script("return window.omsSameDocument === true"):
            raise StepFailed("the page reloaded; the row must come by Server-Sent Events")
        self.wait(lambda driver: self.text_of(row + " td.status") == "shipped",
                  f"{self.order_id} did not reach shipped on the open page", 90)
        self.screenshot("2-order-arrived")

    def send_webhook(self):
        body = json.dumps(self.order).encode()
        signature = base64.b64encode(hmac.new(self.arguments.shopify_secret.encode(), body, hashlib.sha256).digest())
        request = urllib.request.Request(self.base_url + "/webhooks/shopify", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
            "X-Shopify-Hmac-Sha256": signature.decode()})
        with urllib.request.urlopen(request, timeout=30) as reply:
            if reply.status != 202:
                raise StepFailed(f"the webhook was answered {reply.status}, not 202")

    def timeline_opens(self):
        self.find(f"tr#order-{self.order_id} a").click()
        self.wait(self.heading_is(f"Order {self.order_id}"), f"the link did not open {self.order_id}'s page", 30)
        timeline = self.text_of("#timeline tbody") or ""
        for change in ("(new) → received", "received → confirmed", "→ shipped"):
            if change not in timeline:
                raise StepFailed(f"the timeline lacks '{change}': {timeline!r}")
        self.screenshot("3-timeline")

    def dead_letter_replayed(self):
        letter = self.arguments.dead_letter
        self.open("/dead-letters")
        self.wait(self.heading_is("Dead letters"), "the dead letters page did not open", 30)
        links = self.driver.find_elements(By.LINK_TEXT, letter)
        if not links:
            raise StepFailed(f"the dead letter {letter} is not listed")
        links[0].click()
        self.wait(lambda driver: (self.text_of("h1") or "").startswith("Dead letter "),
                  f"the dead letter {letter} did not open", 30)
        shown = self.text_of("main table") or ""
        for fact in (letter, "Stage capture", "Error message body is not valid JSON"):
            if fact not in shown:
                raise StepFailed(f"the letter's page lacks '{fact}': {shown!r}")
        self.screenshot("4-dead-letter")
        self.find("main form button").click()
        self.wait(self.heading_is("Dead letters"), "replaying did not lead back to the dead letters", 30)
        self.screenshot("5-dead-letter-replayed")

    def return_submitted(self):
        self.open("/returns")
        self.wait(self.heading_is("Return an item"), "the returns portal did not open", 30)
        self.find("input[name=order_id]").send_keys(self.order_id)
        self.find("input[name=email]").send_keys(self.order["email"])
        self.find("main form button").click()
        sku = self.order["line_items"][0]["sku"]
        self.wait(lambda driver: driver.find_elements(By.NAME, f"quantity.{sku}"),
                  "the portal did not list the shipped lines", 30)
        quantity = self.find(f"input[name='quantity.{sku}']")
        quantity.clear()
        quantity.send_keys("1")
        self.find("input[name=reason]").send_keys("Arrived chipped")
        self.find("main form button").click()
        self.wait(lambda driver: self.text_of("#authorization"), "no return authorisation number was shown", 30)
        self.screenshot("6-return-authorised")

    def order_refunded(self):
        self.open(f"/orders/{self.order_id}")

        def refunded(driver):
            # The page follows the order by Server-Sent Events; a reload
            # covers a change sent between rendering and connecting.
            if self.text_of("#status") == "refunded":
                return True
            driver.refresh()
            return False

        self.wait(refunded, f"{self.order_id} did not reach refunded", 90, every=1)
        self.screenshot("7-refunded")

    def run(self):
        steps = [self.sign_in, self.order_appears_live, self.timeline_opens, self.dead_letter_replayed,
                 self.return_submitted, self.order_refunded]
        for step in steps:
            started = time.monotonic()
            try:
                step()
            except Exception as error:  # any failure: keep what the browser saw
                reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                print(f"FAILED {step.__name__}: {reason}; see {self.keep_failure(step.__name__)}.png and .html")
                return 1
            print(f"passed {step.__name__} in {time.monotonic() - started:.1f} s", flush=True)
        print(f"scenario passed for {self.order_id}")
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", required=True, help="where oms serve listens")
    parser.add_argument("--password", required=True, help="OMS_ADMIN_PASSWORD of that server")
    parser.add_argument("--shopify-secret", required=True, help="OMS_SHOPIFY_SECRET of that server")
    parser.add_argument("--webhook", required=True, help="a Shopify orders/create body whose SKUs are in stock")
    parser.add_argument("--dead-letter", required=True, help="message id of a letter in that server's oms.dead")
    parser.add_argument("--screenshots", required=True, help="folder for the screenshots")
    arguments = parser.parse_args()
    missing = missing_tools()
    if missing:
        print(f"missing {', '.join(missing)}: run `make test-deps`, or apt-get install -y chromium chromium-driver "
              "and python3 -m pip install selenium")
        return MISSING_BROWSER
    scenario = Scenario(arguments)
    try:
        return scenario.run()
    finally:
        scenario.driver.quit()


if __name__ == "__main__":
    sys.exit(main())
