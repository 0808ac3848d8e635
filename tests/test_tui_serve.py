"""`massabalans serve`: the same interview in a browser, without the network."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from interview.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FIRST_ANSWER = "Zagerij Bos"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve stopped: {process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


def test_the_served_page_loads_nothing_from_another_host():
    from interview.tui.serve import TEMPLATES

    page = (TEMPLATES / "app_index.html").read_text(encoding="utf-8")
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page
    assert "{{ config.static.url }}fonts/" in page


def test_the_app_command_passes_the_database_and_language(tmp_path):
    from interview.tui.serve import app_command

    command = app_command(tmp_path / "x.db", None, "en")
    assert "-m interview.cli" in command
    assert str(tmp_path / "x.db") in command
    assert command.endswith("--lang en")


@pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian's chromium and chromium-driver "
    "(apt-get install -y chromium chromium-driver)",
)
def test_a_browser_answers_the_first_question_of_the_served_app(tmp_path, _own_home):
    webdriver = pytest.importorskip("selenium.webdriver")
    from PIL import Image
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    db = tmp_path / "served.db"
    port = _free_port()
    env = dict(os.environ, MASSABALANS_HOME=str(_own_home))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "interview.cli",
            "serve",
            "--db",
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--window-size=1100,800",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    browser = None
    requested: list[str] = []
    try:
        _wait_for_port(port, server, timeout=30)
        # The driver named outright: selenium would otherwise try to fetch one.
        browser = webdriver.Chrome(options=options, service=Service(DRIVER))
        browser.get(f"http://127.0.0.1:{port}/")
        WebDriverWait(browser, 30).until(
            lambda b: (
                "-first-byte"
                in (b.find_element(By.TAG_NAME, "body").get_attribute("class") or "")
            )
        )
        # The app has drawn its first screen once the database has an interview.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
            db.exists() and Store(db).interviews()
        ):
            time.sleep(0.3)
        time.sleep(1.0)
        typing = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        typing.send_keys(FIRST_ANSWER)
        typing.send_keys(Keys.ENTER)

        saved = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = Store(db).interviews()
            if rows and rows[0].company:
                saved = rows[0]
                break
            time.sleep(0.3)
        time.sleep(1.0)
        shot = tmp_path / "served.png"
        browser.save_screenshot(str(shot))
        for entry in browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                requested.append(message["params"]["request"]["url"])
        keep = os.environ.get("MASSABALANS_SCREENSHOT")
        if keep:
            shutil.copy(shot, keep)
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    own = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")
    web = [url for url in requested if url.startswith(("http", "ws"))]
    assert any(url.endswith("textual.js") for url in web), web
    assert [url for url in web if not url.startswith(own)] == []
    assert saved is not None, "the first answer never reached the database"
    assert saved.company == FIRST_ANSWER
    picture = Image.open(shot).convert("RGB")
    colours = picture.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the screenshot is blank"
    background = max(colours)[0]
    assert background < picture.width * picture.height * 0.97


def test_serve_is_a_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "interview.cli", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--port" in result.stdout
    assert "--host" in result.stdout


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--port", "99999"], "port 99999 does not exist"),
        (["--port", "-1"], "port -1 does not exist"),
        (["--host", "not a host!"], "is not a host name or address"),
    ],
)
def test_serve_refuses_an_address_it_cannot_listen_on_in_one_line(
    tmp_path, options, said
):
    run = subprocess.run(
        [sys.executable, "-m", "interview.cli", "--db", str(tmp_path / "s.db"), "serve"]
        + options,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert said in run.stderr and "Traceback" not in run.stderr


def test_serve_says_when_its_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "interview.cli", "--db", str(tmp_path / "s.db")]
            + ["serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr
