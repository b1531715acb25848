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
    """Click or submit, then wait until the browser has left the page (the old element is gone).
    Asked about mid-navigation, Chromium may answer 'Node ... does not belong to the document'
    instead of 'stale element': both mean the page was left."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    def left(_: object) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False

    action(element)
    WebDriverWait(driver, 10).until(left)


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
    assert name not in browser.find_element(By.CSS_SELECTOR, "#whats-new tr.card-row").text  # no longer first
    browser.get(base + "/?status=reviewed")  # reviewed cards rank last: one filter away
    reviewed = [r for r in browser.find_elements(By.CSS_SELECTOR, "#whats-new tr.card-row") if name in r.text]
    assert reviewed and reviewed[0].find_element(By.CSS_SELECTOR, "td[data-label=status]").text == "reviewed"


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


def both_widths(driver, name: str) -> None:
    """Screenshots at desktop and phone width; at 390 px nothing runs off the side."""
    driver.set_window_size(1400, 1000)
    shot(driver, f"{name}_1400")
    driver.set_window_size(390, 844)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    shot(driver, f"{name}_390")
    driver.set_window_size(1400, 1000)
    assert overflow <= 0, f"{name}: {overflow} px of horizontal scroll at 390 px"


def test_an_editors_day(site, browser):
    """Find a new tool from the header search, mark it reviewed, open tools like it, accept a
    pairing, open its comparison page, export it, undo the decision; every page at both widths."""
    from selenium.webdriver.common.by import By

    base, _ = site
    browser.set_window_size(1400, 1000)
    browser.get(base + "/")
    both_widths(browser, "day_whats_new")
    box = browser.find_element(By.CSS_SELECTOR, "header .header-search input[name=q]")
    box.send_keys("SmolVLM2")
    and_wait(browser, box, lambda e: e.submit())
    both_widths(browser, "day_search")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "tr.hit td a") if a.text.startswith("SmolVLM2"))
    name = link.text
    and_wait(browser, link, lambda e: e.click())
    assert browser.find_element(By.ID, "card-name").text == name
    assert "closest card" not in browser.page_source
    button = browser.find_element(By.CSS_SELECTOR, "button[name=mark-reviewed]")
    and_wait(browser, button, lambda e: e.click())
    assert browser.find_element(By.CSS_SELECTOR, ".status-reviewed").text == "reviewed"
    both_widths(browser, "day_card")
    and_wait(browser, browser.find_element(By.LINK_TEXT, "More, with filters and reasons"), lambda e: e.click())
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.hit")) >= 5
    both_widths(browser, "day_like")

    browser.get(base + "/pairs")
    first = browser.find_element(By.CSS_SELECTOR, ".pair")
    title = first.find_element(By.CLASS_NAME, "pair-title").text
    both_widths(browser, "day_pairs")
    and_wait(browser, first.find_element(By.CSS_SELECTOR, "button.accept"), lambda e: e.click())
    notice = browser.find_element(By.ID, "decided").text
    assert notice.startswith(f"{title}: accepted.") and "undo" in notice
    and_wait(browser, browser.find_element(By.LINK_TEXT, "Open the comparison"), lambda e: e.click())
    assert browser.find_element(By.ID, "comparison-title").text == title
    rows = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#decision th[scope=row]")]
    assert rows == ["Pricing", "Best for", "Category", "Entry", "License", "Open weights", "Size", "Released"]
    assert browser.find_elements(By.CSS_SELECTOR, "#decision td a[href^='http']")  # facts link to evidence
    assert "Pairing accepted." in browser.page_source
    both_widths(browser, "day_comparison")
    export = browser.find_element(By.ID, "export-md").get_attribute("href")
    with urllib.request.urlopen(export, timeout=10) as answer:
        draft = answer.read().decode()
    assert draft.startswith(f"# {title}\n") and "## Decision" in draft and "## Sources" in draft

    browser.get(base + "/pairs?status=accepted")
    assert title in [t.text for t in browser.find_elements(By.CLASS_NAME, "pair-title")]
    both_widths(browser, "day_pairs_accepted")
    and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".pair button.undo"), lambda e: e.click())
    assert browser.find_element(By.ID, "decided").text.startswith(f"{title}: suggested.")
    assert title not in [t.text for t in browser.find_elements(By.CLASS_NAME, "pair-title")]  # gone from accepted
    browser.get(base + "/pairs")
    assert title in [t.text for t in browser.find_elements(By.CLASS_NAME, "pair-title")]  # back among suggestions
    browser.get(base + "/runs")
    both_widths(browser, "day_runs")


def test_api_docs_render_from_the_installed_package_under_the_csp(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    base, _ = site
    browser.get(base + "/docs")
    WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .info .title"))
    )
    assert "compare" in browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    assert browser.find_elements(By.CSS_SELECTOR, ".opblock-tag")  # the API's sections listed
    sources = [s.get_attribute("src") for s in browser.find_elements(By.TAG_NAME, "script")]
    assert sources and all(src.startswith(base) for src in sources)  # nothing from a CDN, nothing inline
    shot(browser, "docs")
