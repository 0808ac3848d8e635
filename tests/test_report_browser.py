"""The HTML report in a real browser: headless Chromium shows the picture and tables.

Needs Debian's chromium and chromium-driver (.ci/run installs them); skipped with
the reason when they are not there.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from interview.dataset import load_dataset
from interview.questionnaire import load_questionnaire
from interview.report import ReportSource, render_html, render_markdown

from .conftest import DATA
from .markdown_tables import tables

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="chromium and chromedriver are not installed "
    "(apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    # Never let Selenium look for a driver or browser online: both are given.
    os.environ.setdefault("SE_AVOID_STATS", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,900",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def distinct_colours(png: bytes) -> tuple[int, float]:
    """How many colours a screenshot has, and the share of the commonest one."""
    image_module = pytest.importorskip("PIL.Image")
    image = image_module.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    most = max(count for count, _ in colours)
    return len(colours), most / (image.width * image.height)


def test_the_html_report_shows_its_picture_and_tables_in_a_browser(browser, tmp_path):
    from selenium.webdriver.common.by import By

    source = ReportSource.from_dataset(
        load_dataset(DATA / "sawmill.answers.yaml"), load_questionnaire()
    )
    page = tmp_path / "report.html"
    page.write_text(render_html(source, "nl"), encoding="utf-8")
    browser.get(page.as_uri())

    assert browser.title == "Massabalans en advies: Zagerij (voorbeeld)"
    (svg,) = browser.find_elements(By.CSS_SELECTOR, "figure.sankey svg")
    assert svg.size["width"] > 600 and svg.size["height"] > 300
    labels = [t.text for t in svg.find_elements(By.TAG_NAME, "text")]
    assert "stammen met schors" in labels and "gedroogd gezaagd hout" in labels
    expected = tables(render_markdown(source, "nl"))
    shown = browser.find_elements(By.TAG_NAME, "table")
    assert len(shown) == len(expected)
    first_row = [c.text for c in shown[0].find_elements(By.CSS_SELECTOR, "tr")[1:2]]
    assert first_row == [" ".join(expected[0][1])]
    # Self-contained: the page loaded nothing besides itself.
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources == []

    screenshot = browser.get_screenshot_as_png()
    (tmp_path / "report.png").write_bytes(screenshot)
    colours, commonest = distinct_colours(screenshot)
    assert colours > 40, "the page looks blank"
    assert commonest < 0.97
    picture_colours, _ = distinct_colours(svg.screenshot_as_png)
    assert picture_colours > 20, "the picture looks blank"
