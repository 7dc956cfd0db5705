"""Shared by the browser tests: start ``python app.py`` on a free port, drive Debian's chromium with selenium,
and small waits and selectors (a missing browser fails the tests: they never skip)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
QA = "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"
TALKING = "Soạn các ý chính cho bài phát biểu về nhân rộng và lan tỏa các mô hình Dân vận khéo."
SEED_FILES = ["001_55ffc7e6e046b248.txt", "002_53d483f86c03c5e7.txt", "003_1a7fc85f422d364f.txt"]
LONG = 300  # seconds: a slow shared machine, and the first embedding loads the model
SETTLED_S = 1.0  # an answer unchanged this long is finished (statements come every 0.15 s)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_app(tmp: Path, **env_extra: str) -> tuple[subprocess.Popen, str, Path]:
    """``python app.py`` on a free port with its own data dir and embedding cache; waits until it serves."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(DANVAN_DATA_DIR=str(tmp / "data"), DANVAN_EMBED_CACHE=str(tmp / "embed-cache.sqlite3"),
               DANVAN_HOST="127.0.0.1", DANVAN_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False", **env_extra)
    log = tmp / "app.log"
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=tmp, env=env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + LONG
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"app exited {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url + "/", timeout=5, follow_redirects=True).status_code == 200:
                return proc, url, log
        except httpx.HTTPError:
            pass
        time.sleep(1)
    proc.kill()
    raise AssertionError(f"app did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


_DATA: dict[str, Path] = {}


def server_data(url: str) -> Path:
    """The data folder of the server at ``url``."""
    return _DATA[url]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    proc, url, log = _start_app(tmp)
    _DATA[url] = tmp / "data"
    yield url
    _stop(proc)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(log, ARTIFACTS / "app.log")


def chromium(profile: Path, size: tuple[int, int] = (1400, 1000)):
    """Debian's chromium, headless, driven by its chromedriver (Selenium Manager never downloads anything)."""
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", "--lang=vi"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(120)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):  # a missing browser fails, never skips
        pytest.fail("Debian chromium / chromedriver missing: install chromium and chromium-driver")
    driver = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _wait(driver, cond, timeout=LONG, what=""):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    try:  # the page re-renders while we read it: a stale element is a retry, not a failure
        return WebDriverWait(driver, timeout, poll_frequency=0.5,
                             ignored_exceptions=[StaleElementReferenceException]).until(cond)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "failure.png"))
        (ARTIFACTS / "failure.html").write_text(driver.page_source, encoding="utf-8")
        raise AssertionError(f"timed out waiting for {what}")


def _css(driver, selector):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, selector)


def _click_tab(driver, label: str) -> None:
    from selenium.webdriver.common.by import By
    tab = _wait(driver, lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "button[role=tab]")
                                        if b.text.strip() == label), None), 60, f"tab {label}")
    tab.click()


def _bot_texts(driver) -> list[str]:
    return [e.text for e in _css(driver, '#chat [data-testid="bot"]')]


def _ask(driver, question: str, n_before: int) -> str:
    """Type a question, send it, and return the finished answer text (the (n_before+1)-th bot message)."""
    box = _wait(driver, lambda d: next(iter(_css(d, "#question textarea")), None), 60, "question box")
    box.clear()
    box.send_keys(question)
    _css(driver, "#send")[0].click()
    return _answer(driver, question, n_before)


def _answer(driver, question: str, n_before: int) -> str:
    """The (n_before+1)-th bot message once it is finished."""
    last: dict[str, Any] = {}

    def finished(d):  # shown, and no longer growing (an answer is shown statement by statement)
        texts = _bot_texts(d)
        done = len(texts) > n_before and texts[n_before].strip() and "Đang tìm" not in texts[n_before]
        if not done or _css(d, "#chat .generating, #chat .pending"):
            return None
        text, now = texts[n_before], time.monotonic()
        if last.get("text") != text:
            last.update(text=text, since=now)
            return None
        return text if now - last["since"] >= SETTLED_S else None
    return _wait(driver, finished, LONG, f"answer to {question!r}")


def _screenshot(driver, name: str, also_docs: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))
    if also_docs and os.environ.get("DANVAN_UPDATE_SCREENSHOT"):  # otherwise a test run dirties the checkout
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / name, REPO / "docs" / name)


def _pick(driver, elem_id: str, text: str) -> None:
    """Choose the option containing ``text`` in a Gradio dropdown."""
    box = _wait(driver, lambda d: next(iter(_css(d, f"#{elem_id} input")), None), 30, f"dropdown {elem_id}")
    box.click()
    box.send_keys(text)
    option = _wait(driver, lambda d: next((o for o in _css(d, "[role=option]") if text in o.text), None), 30,
                   f"option {text}")
    option.click()


def _in_viewport(driver, selector: str) -> bool:
    return driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;", selector)


def _open(driver, url: str) -> None:
    """Load the app page unless the browser is already on it (each test can also run alone)."""
    if not driver.current_url.startswith(url) or not _css(driver, "#question textarea"):
        driver.get(url)
        _wait(driver, lambda d: _css(d, "#question textarea"), 120, "the page")



def _retype(element, *keys) -> None:
    """Empty a Gradio text box as a user does (select all, delete: selenium's clear() fires no input event, so
    the app would keep the old value), then type ``keys``."""
    from selenium.webdriver.common.keys import Keys
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if keys:
        element.send_keys(*keys)
