"""The review page in a real browser: headless Chromium opens the seed corpus's report from
``file://``, follows the links between table rows and highlights, and saves a screenshot.

Uses Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them when it can).
Both paths are given to Selenium explicitly, so Selenium Manager never downloads a
browser or a driver. Without them the test skips and says what to install.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.review.report import write_report
from tests.review_helpers import make_claim, make_record, seed_records

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
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--allow-file-access-from-files"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception as error:  # noqa: BLE001 - a broken local browser is a reason to skip, with the cause
        pytest.skip(f"chromium did not start: {error}")
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus's report plus one article that quotes markup."""
    out = tmp_path_factory.mktemp("report")
    sentence = "At least 12 people were killed <img src=x onerror=\"window.pwned=2\">."
    hostile = make_record(HOSTILE, [make_claim(HOSTILE, sentence, "At least 12", group="people",
                                               qualifier="at_least", low=12)])
    write_report({**seed_records(), "zz_hostile.json": hostile}, out)
    return out


def _open(browser: Any, path: Path) -> None:
    browser.get(path.resolve().as_uri())


def test_review_browser_every_claim_is_highlighted_and_linked(browser: Any, site: Path) -> None:
    _open(browser, site / "index.html")
    pages = browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles a')).map(a => a.href)")
    records = seed_records()
    assert len(pages) == len(records) + 1
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
    browser.find_element("css selector", "#articles a").click()
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
    assert browser.execute_script("return document.querySelectorAll('script, img').length") == 0
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
