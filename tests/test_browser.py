"""The HTML report as a reader's browser shows it: the tiny run's page in headless Chromium (Debian's
``chromium`` and ``chromium-driver``, which .ci/run installs), driven through selenium."""

import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Checked at collection, so that a machine without them skips before the tiny workflow runs.
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver; .ci/run installs them when run as root)")]

# As root, in a container, offline: no sandbox, no GPU, and none of the calls home a first start makes.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,900"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Debian's driver, named: selenium-manager would try to download one.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_page(driver, page):
    """Load ``page`` (a file) and wait for its load event, which comes after every image."""
    driver.get_log("browser")  # drop what an earlier page logged
    url = Path(page).resolve().as_uri()
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: d.current_url == url and
                                    d.execute_script("return document.readyState") == "complete")


def broken_images(driver):
    """Images that did not load: [(index, first 80 characters of src)]."""
    return [(i, src[:80]) for i, (src, width) in enumerate(driver.execute_script(
        "return Array.from(document.images, i => [i.getAttribute('src'), i.complete ? i.naturalWidth : 0])"))
        if width == 0]


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def traced_number_files(driver):
    """The local file each traced number links to (``a.num``, written by the num() template helper),
    as the browser resolves the link."""
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('a.num'), a => a.href)")
    return [Path(urllib.request.url2pathname(urllib.parse.urlparse(href).path)) for href in hrefs]


def test_report_page_loads_whole_in_a_browser(browser, finished_run):
    run = Path(finished_run).resolve()
    open_page(browser, run / "results" / "report" / "index.html")
    images = browser.execute_script("return document.images.length")
    broken, errors = broken_images(browser), console_errors(browser)
    assert images > 0 and broken == [], f"{len(broken)} of {images} images did not load: {broken}"
    assert errors == [], f"the browser's console shows errors: {errors}"

    files = traced_number_files(browser)
    assert files, "the page has no traced numbers"
    dangling = sorted({str(path) for path in files if not path.is_file() or run not in path.parents})
    assert dangling == [], f"traced numbers link to files that are not in the run: {dangling}"
