"""The review site in a real browser: headless Chromium opens a report from ``file://``, follows
the links between table rows and highlights, sorts, filters and searches the index, follows the
charts' links, uses the keys, records a verdict, and saves screenshots into the test's folder.

Uses Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when it can).
Both paths are given to Selenium explicitly, so Selenium Manager never downloads a
browser or a driver. Without them the test skips and says what to install.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import unquote
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.link.writer import incidents_of
from pipeline.review.apply import review_records
from pipeline.review.corrections import load_corrections
from pipeline.review.report import write_report
from tests.review_helpers import make_claim, make_record, varied_records

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)
CHROMEDRIVER = shutil.which("chromedriver")
HOSTILE = "Raid <script>window.pwned = 1</script> kills 12\n\nAt least 12 people were killed <img src=x onerror=\"window.pwned=2\">."
KILLED_COLOUR = "rgb(244, 163, 163)"  # PREDICATE_COLOURS["killed"], as the browser computes it


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("no chromium/chromedriver on PATH: install the Debian packages chromium and chromium-driver "
                    "(bash .ci/run does when apt-get works) to run the browser test")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency: run make setup")
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # belt and braces: Selenium Manager must not go online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # content-policy refusals show there
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--allow-file-access-from-files"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception as error:  # noqa: BLE001 - a broken local browser is a reason to skip, with the cause
        pytest.skip(f"chromium did not start: {error}")
    yield driver
    driver.quit()


def _records() -> dict[str, dict[str, Any]]:
    """The seeds, three reports of our own (tests/review_helpers.py) and one article that quotes markup."""
    sentence = "At least 12 people were killed <img src=x onerror=\"window.pwned=2\">."
    hostile = make_record(HOSTILE, [make_claim(HOSTILE, sentence, "At least 12", group="people",
                                               qualifier="at_least", low=12)], file="zz_hostile.txt")
    return {**varied_records(), "zz_hostile.json": hostile}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of _records(), with the incidents linked from them."""
    out = tmp_path_factory.mktemp("report")
    records = _records()
    write_report(records, out, incidents_of({record["article"]["file"]: record for record in records.values()}))
    return out


def _open(browser: Any, path: Path) -> None:
    browser.get(path.resolve().as_uri())


def test_review_browser_every_claim_is_highlighted_and_linked(browser: Any, site: Path) -> None:
    _open(browser, site / "index.html")
    pages = browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles td:first-child a')).map(a => a.href)")
    records = _records()
    assert len(pages) == len(records)
    for href, record in zip(pages, records.values(), strict=False):
        browser.get(href)
        for claim in record["claims"]:
            found = browser.execute_script(
                """const id = arguments[0];
                   const anchor = document.getElementById('claim-' + id);
                   const row = document.getElementById('row-' + id);
                   const marks = Array.from(document.querySelectorAll('#text mark'))
                       .filter(m => m.dataset.claims.split(' ').includes(id));
                   return {anchorInText: !!anchor && !!anchor.closest('#text'),
                           anchorToRow: anchor && anchor.getAttribute('href') === '#row-' + id,
                           rowToAnchor: !!row && !!row.querySelector('a[href="#claim-' + id + '"]'),
                           marked: marks.map(m => m.textContent).join('')};""", claim["id"])
            assert found["anchorInText"] and found["anchorToRow"] and found["rowToAnchor"], claim["id"]
            assert " ".join(found["marked"].split()) == " ".join(claim["evidence"]["text"].split()), claim["id"]


def test_review_browser_links_jump_between_row_and_highlight(browser: Any, site: Path) -> None:
    _open(browser, site / "index.html")
    browser.find_element("css selector", "#articles td:first-child a").click()
    last = browser.find_elements("css selector", "tr.claim a.to-text")[-1]
    claim_hash = last.get_attribute("href").split("#", 1)[1]
    last.click()
    assert browser.execute_script("return location.hash") == f"#{claim_hash}"
    in_view = ("const r = document.getElementById(arguments[0]).getBoundingClientRect();"
               "return r.top >= -1 && r.bottom <= window.innerHeight + 1;")  # sub-pixel layout
    assert browser.execute_script(in_view, claim_hash)
    browser.find_element("id", claim_hash).click()
    row_id = claim_hash.replace("claim-", "row-")
    assert browser.execute_script("return location.hash") == f"#{row_id}"
    assert browser.execute_script(in_view, row_id)


def test_review_browser_markup_in_articles_is_shown_not_run(browser: Any, site: Path) -> None:
    _open(browser, site / "articles" / "zz_hostile.html")
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    # The page's own scripts only: its inline script and its JSON data block.
    assert browser.execute_script("return Array.from(document.scripts).map(s => s.type || 'js')") == [
        "application/json", "js"]
    text = browser.find_element("id", "text").text
    assert "<script>window.pwned = 1</script>" in text and '<img src=x onerror="window.pwned=2">' in text
    assert browser.title == "Raid <script>window.pwned = 1</script> kills 12"


def test_review_browser_styles_apply_and_screenshot(browser: Any, site: Path, tmp_path: Path) -> None:
    _open(browser, site / "articles" / "001_602a99a147c29090.html")
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('#text mark.p-killed')).backgroundColor")
    assert colour == KILLED_COLOUR, "the inline stylesheet applies under the page's content policy"
    shot = tmp_path / "review-page.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def _select(browser: Any, key: str) -> Any:
    from selenium.webdriver.support.ui import Select

    return Select(browser.find_element("css selector", f"select[data-key={key}]"))


def _settles(browser: Any, wanted: list[str]) -> list[str]:
    """The visible rows once the search (which waits for a pause in typing) has run."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(browser, 5, poll_frequency=0.05).until(lambda driver: _visible_keys(driver) == wanted)
    except TimeoutException:
        pass
    return _visible_keys(browser)


def _visible_keys(browser: Any) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.dataset.key)")


def _policy_refusals(browser: Any) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_review_browser_index_sorts_filters_and_searches(browser: Any, site: Path, tmp_path: Path) -> None:
    _open(browser, site / "index.html")
    assert browser.find_element("id", "filters").is_displayed(), "the inline script ran under the content policy"
    assert _policy_refusals(browser) == []
    records = _records()
    assert _visible_keys(browser) == sorted(records)
    killed = browser.find_element("xpath", "//th[normalize-space()='Killed']/button")
    killed.click()
    figures = browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles tbody tr')).map(r => r.cells[6].dataset.sort)")
    numbers = [int(value) for value in figures if value]
    assert numbers == sorted(numbers) and figures[len(numbers):] == [""] * (len(figures) - len(numbers))
    killed.click()
    order = _visible_keys(browser)
    numbers = [int(v) for v in browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles tbody tr')).map(r => r.cells[6].dataset.sort)") if v]
    assert numbers == sorted(numbers, reverse=True)
    place = _select(browser, "places")
    place.select_by_value("SY/Aleppo")
    assert sorted(_visible_keys(browser)) == ["a.json", "b.json"]
    assert "places=SY%2FAleppo" in browser.execute_script("return location.hash")
    assert browser.find_element("id", "shown").text == f"2 of {len(records)} articles"
    place.select_by_value("")
    search = browser.find_element("id", "q")
    search.send_keys("MAIDUGURI")
    assert _settles(browser, ["c.json"]) == ["c.json"]
    search.clear()
    search.send_keys("airwars june")  # every word, anywhere in the title or text
    assert _settles(browser, ["001_602a99a147c29090.json"]) == ["001_602a99a147c29090.json"]
    search.clear()
    search.send_keys("\n")
    browser.find_element("id", "warned").click()
    assert all(browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.dataset.warned === '1')"))
    browser.find_element("id", "clear").click()
    assert _settles(browser, sorted(records, key=lambda k: order.index(k))) == sorted(records, key=lambda k: order.index(k))
    assert browser.save_screenshot(str(tmp_path / "review-index.png"))


def test_review_browser_index_opens_filtered_from_a_link(browser: Any, site: Path) -> None:
    browser.get((site / "index.html").resolve().as_uri() + "#actors=boko_haram&sort=6-")
    assert _visible_keys(browser) == ["c.json"]
    assert _select(browser, "actors").first_selected_option.get_attribute("value") == "boko_haram"


def test_review_browser_chart_links_reach_the_claims_behind_them(browser: Any, site: Path, tmp_path: Path) -> None:
    _open(browser, site / "index.html")
    chart = browser.find_element("id", "chart-place")
    bar = chart.find_element("css selector", "a.bar[href$='place-SY_Aleppo.html']")
    count = int(bar.get_attribute("data-count"))
    bar.click()
    assert browser.current_url.endswith("claims/place-SY_Aleppo.html")
    listed = browser.find_elements("css selector", "tr.listed")
    assert len(listed) == count == 2
    browser.save_screenshot(str(tmp_path / "review-claims.png"))
    listed[0].find_element("css selector", "a").click()
    row_id = browser.execute_script("return location.hash").lstrip("#")
    assert row_id.startswith("row-") and browser.find_element("id", row_id).is_displayed()
    _open(browser, site / "index.html")
    record = _records()["b.json"]
    mark = browser.find_element("css selector", f"#chart-timeline a[href$='#row-{record['claims'][0]['id']}']")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", mark)
    assert browser.current_url.endswith(f"articles/b.html#row-{record['claims'][0]['id']}")


def test_review_browser_keys_move_through_articles_and_claims(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    _open(browser, site / "index.html")
    browser.execute_script("sessionStorage.clear()")
    _select(browser, "places").select_by_value("SY/Aleppo")
    browser.find_element("tag name", "h1").click()  # focus leaves the form
    ActionChains(browser).send_keys("j").send_keys("j").send_keys("\n").perform()
    assert browser.current_url.endswith("articles/b.html")
    record = _records()["b.json"]
    ActionChains(browser).send_keys("j").perform()
    assert browser.execute_script("return location.hash") == f"#claim-{record['claims'][0]['id']}"
    ActionChains(browser).send_keys("p").perform()  # previous in the index's filtered order: a
    assert browser.current_url.endswith("articles/a.html")
    ActionChains(browser).send_keys("n").send_keys("n").perform()  # b is the last Aleppo article: stays
    assert browser.current_url.endswith("articles/b.html")
    ActionChains(browser).send_keys("u").perform()
    assert browser.current_url.split("#")[0].endswith("index.html")


def test_review_browser_verdict_form_saves_a_corrections_file(browser: Any, site: Path, tmp_path: Path) -> None:
    _open(browser, site / "articles" / "c.html")
    assert _policy_refusals(browser) == []
    record = _records()["c.json"]
    claim = record["claims"][0]
    row = browser.find_element("id", f"row-{claim['id']}")
    row.find_element("css selector", "button.judge").click()
    form = browser.find_element("id", "verdict")
    form.find_element("css selector", "input[value=corrected]").click()
    actor = form.find_element("name", "actor")
    assert actor.get_attribute("value") == "boko_haram", "the form starts from the claim's values"
    count = form.find_element("name", "count")
    original = count.get_attribute("value")
    count.clear()
    count.send_keys("dozens")
    form.find_element("css selector", "button[type=submit]").click()
    assert browser.find_element("id", "review-status").text.startswith("count:")
    assert "rv-corrected" not in row.get_attribute("class"), "a count the corrections cannot read is not recorded"
    count.clear()
    count.send_keys(original)
    actor.clear()
    actor.send_keys("iswap")
    form.find_element("name", "reason").send_keys("ISWAP claimed the blast")
    form.find_element("css selector", "button[type=submit]").click()
    assert "rv-corrected" in row.get_attribute("class")
    href = browser.find_element("id", "save").get_attribute("href")
    assert href.startswith("data:text/yaml;charset=utf-8,")
    folder = tmp_path / "corrections"
    folder.mkdir()
    (folder / "c.txt.yaml").write_text(unquote(href.split(",", 1)[1]), encoding="utf-8")
    problems: list[str] = []
    loaded = load_corrections(folder, problems)
    assert problems == []
    (correction,) = loaded["c.txt"]
    assert (correction.claim, correction.verdict, dict(correction.fields), correction.reason) == (
        claim["id"], "corrected", {"actor": "iswap"}, "ISWAP claimed the blast")
    review = review_records({"c.json": record}, loaded)["c.json"]
    assert review.by_claim[0].how == "id"
    browser.save_screenshot(str(tmp_path / "review-verdict.png"))
