"""The editors' pages in a real browser: headless Chromium (Debian's chromium and
chromium-driver) driven by Selenium against `compare serve` over the demo data, built by the
demo flow with the real embedding model. Screenshots of every page land in
tests/artifacts/browser/. Skipped, saying why, where the browser is absent."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from compare.db import Store
from compare.extract.article import extract_article
from compare.resolve import card_hash, resolve
from conftest import FIXTURES, ROOT

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless Chromium is absent: install Debian's chromium and chromium-driver (.ci/run does)",
)
SHOTS = ROOT / "tests" / "artifacts" / "browser"


def compare(tmp: Path, *args: str, **popen: object) -> subprocess.CompletedProcess | subprocess.Popen:
    env = {**os.environ, "COMPARE_CRAWL_DIR": str(tmp / "crawl"), "HF_HUB_OFFLINE": "1"}
    command = [
        sys.executable,
        "-m",
        "compare.cli",
        "--db",
        str(tmp / "compare.db"),
        "--index-dir",
        str(tmp / "index"),
        *args,
    ]
    if popen:
        return subprocess.Popen(command, env=env, **popen)
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo refresh (real model), one card from a hostile crawled page, and the server."""
    tmp = tmp_path_factory.mktemp("browser")
    compare(tmp, "demo")
    store = Store(tmp / "compare.db")
    hostile = extract_article("https://evil.example/blog/pwn/", (FIXTURES / "web" / "hostile_launch.html").read_text())
    for key, card in resolve(hostile.records):
        store.save_card(key, {**card, "links": {"docs": "javascript:alert(3)"}}, card_hash(card))
    store.close()
    compare(tmp, "embed")
    compare(tmp, "index")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = compare(tmp, "serve", "--port", str(port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/csrf", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"compare serve did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield base, tmp
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--window-size=1360,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def and_wait(driver, element, action) -> None:
    """Click or submit, then wait until the browser has left the page (the old element is gone)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    action(element)
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(element))


def shot(driver, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one
    return path


def test_whats_new_lists_the_demo_cards_and_marks_one_reviewed(site, browser):
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.get(base + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#whats-new tr.card-row")
    assert len(rows) >= 50
    shot(browser, "whats_new")
    name = rows[0].find_element(By.CSS_SELECTOR, "td:nth-child(2) a").text
    and_wait(browser, rows[0].find_element(By.CSS_SELECTOR, "button[name=mark-reviewed]"), lambda e: e.click())
    reviewed = [r for r in browser.find_elements(By.CSS_SELECTOR, "#whats-new tr.card-row") if name in r.text]
    assert reviewed and "reviewed" in reviewed[0].find_element(By.CSS_SELECTOR, "td:nth-child(7)").text


def test_a_card_shows_its_evidence_history_sources_and_tools_like_it(site, browser):
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.get(base + "/")
    link = next(
        a for a in browser.find_elements(By.CSS_SELECTOR, "#whats-new td a") if a.text == "SmolVLM2-2.2B-Instruct"
    )
    and_wait(browser, link, lambda e: e.click())
    assert browser.find_element(By.ID, "card-name").text == "SmolVLM2-2.2B-Instruct"
    evidence = browser.find_elements(By.CSS_SELECTOR, "#fields a[href^='https://huggingface.co/']")
    assert evidence and browser.find_elements(By.CSS_SELECTOR, "#fields .snippet")
    assert browser.find_elements(By.CSS_SELECTOR, "#sources li") and browser.find_elements(By.CSS_SELECTOR, "#like li")
    assert "Apache-2.0" in browser.find_element(By.ID, "history").text
    shot(browser, "card")


def test_tools_like_smolvlm2_2b(site, browser):
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.get(base + "/like")
    box = browser.find_element(By.CSS_SELECTOR, "#like-form input[name=q]")
    box.send_keys("SmolVLM2-2B")
    and_wait(browser, box, lambda e: e.submit())
    assert "did you mean SmolVLM2-2.2B-Instruct" in browser.find_element(By.CLASS_NAME, "notice").text
    names = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "tr.hit td:nth-child(2)")]
    assert len(names) == 10 and "SmolVLM2-2.2B-Instruct" not in names
    categories = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "tr.hit td:nth-child(4)")]
    assert categories[:3] == ["Vision & Documents"] * 3  # vision-language models first
    shot(browser, "tools_like")


def test_search_page(site, browser):
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.get(base + "/search")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
    box.send_keys('speech recognition "open weights"')
    and_wait(browser, box, lambda e: e.submit())
    assert browser.find_elements(By.CSS_SELECTOR, "tr.hit")
    shot(browser, "search")


def test_an_accepted_pair_is_gone_after_reload(site, browser):
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.get(base + "/pairs")
    first = browser.find_element(By.CSS_SELECTOR, ".pair")
    title = first.find_element(By.CLASS_NAME, "pair-title").text
    assert len(first.find_elements(By.CSS_SELECTOR, ".panels .panel dl")) == 2  # the side-by-side preview
    shot(browser, "pairs")
    and_wait(browser, first.find_element(By.CSS_SELECTOR, "button.accept"), lambda e: e.click())
    browser.refresh()
    assert title not in [t.text for t in browser.find_elements(By.CLASS_NAME, "pair-title")]
    shot(browser, "pairs_after_accept")


def test_runs_page(site, browser):
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.get(base + "/runs")
    [run] = browser.find_elements(By.CSS_SELECTOR, "#runs tr")[1:]  # the demo's one refresh
    cells = [td.text for td in run.find_elements(By.TAG_NAME, "td")]
    assert cells[3] == "ok" and re.search(r"crawl \d+\.\d s", cells[4]) and re.search(r"embed \d+\.\d s", cells[4])
    assert re.search(r"ingest new \d+", cells[5]) and re.search(r"pairs pairs \d+", cells[5])
    assert cells[6] == "none"  # failures by reason: the demo has none
    shot(browser, "runs")


def test_a_hostile_crawled_page_is_inert_in_the_browser(site, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    base, tmp = site
    store = Store(tmp / "compare.db")
    [card] = [c for c in store.cards() if c["vendor"] == "Evil Labs"]
    store.close()
    browser.get(f"{base}/cards/{card['slug']}")
    assert card["name"] == browser.find_element(By.ID, "card-name").text  # the quote and "onmouseover" as text
    page_text = browser.find_element(By.ID, "fields").text
    assert '<script>alert("xss")</script>' in page_text and "<img src=x onerror=alert(2)>" in page_text
    assert browser.find_elements(By.TAG_NAME, "script") == [] and browser.find_elements(By.CSS_SELECTOR, "img") == []
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    shot(browser, "hostile_card")
