"""End to end through a real browser: upload seeds, ask, read the cited sources, export talking points.

Starts ``python app.py`` (the real embedding model, a temp store) and drives Debian's chromium with
selenium; a second server with DANVAN_AUTH checks that the API refuses anonymous callers.
"""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
QA = "Năm 2018 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"
TALKING = "Soạn các ý chính cho bài phát biểu về nhân rộng và lan tỏa các mô hình Dân vận khéo."
SEED_FILES = ["001_55ffc7e6e046b248.txt", "002_53d483f86c03c5e7.txt", "003_1a7fc85f422d364f.txt"]
LONG = 300  # seconds: a slow shared machine, and the first embedding loads the model


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
            if httpx.get(url + "/", timeout=5).status_code == 200:
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    proc, url, log = _start_app(tmp)
    yield url
    _stop(proc)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(log, ARTIFACTS / "app.log")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium / chromedriver not installed")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    profile = tmp_path_factory.mktemp("chromium-profile")
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1400,1100", "--lang=vi"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()


def _wait(driver, cond, timeout=LONG, what=""):
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.5).until(cond)
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

    def finished(d):
        texts = _bot_texts(d)
        done = len(texts) > n_before and texts[n_before].strip() and "Đang tìm" not in texts[n_before]
        return texts[n_before] if done else None
    return _wait(driver, finished, LONG, f"answer to {question!r}")


def _screenshot(driver, name: str, also_docs: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))
    if also_docs and os.environ.get("DANVAN_UPDATE_SCREENSHOT"):  # otherwise a test run dirties the checkout
        (REPO / "docs").mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / name, REPO / "docs" / name)


def test_upload_ask_cite_and_export(server, browser):
    from docx import Document
    d = browser
    d.get(server)
    _wait(d, lambda d: _css(d, "#question textarea"), 120, "the page")

    # Documents tab: upload three seed articles and ingest them.
    _click_tab(d, "Tài liệu")
    file_input = _wait(d, lambda d: next(iter(_css(d, "#uploads input[type=file]")), None), 60, "file input")
    file_input.send_keys("\n".join(str(SEEDS / f) for f in SEED_FILES))
    _wait(d, lambda d: {e.get_attribute("aria-label") for e in _css(d, "#uploads td.filename")} == set(SEED_FILES),
          120, "uploaded file list")
    _css(d, "#ingest")[0].click()
    summary = _wait(d, lambda d: "Thêm mới (added): 3" in _css(d, "#ingest-summary")[0].text
                    and _css(d, "#ingest-summary")[0].text, LONG, "ingest summary")
    assert "Bỏ qua (skipped): 0" in summary
    _wait(d, lambda d: "002_53d483f86c03c5e7.txt" in _css(d, "#docs-table")[0].text, 60, "documents table")
    _screenshot(d, "documents.png")

    # Chat: a question answered from 002 with an inline [1] and the cited passage in the sources panel.
    _click_tab(d, "Hỏi đáp")
    answer = _ask(d, QA, 0)
    assert "112" in answer and "[1]" in answer, answer
    sources = _css(d, "#sources")[0]
    assert "112" in sources.text and "002_53d483f86c03c5e7.txt" in sources.text, sources.text
    marks = [m.text.lower() for m in _css(d, "#sources mark")]
    assert "2018" in marks and "khéo" in marks, marks
    _screenshot(d, "screenshot-chat.png", also_docs=True)

    # Talking points: pick the mode, ask, export the DOCX and read it back.
    label = _wait(d, lambda d: next((e for e in _css(d, "#mode label") if "Dàn ý phát biểu" in e.text), None),
                  30, "mode choice")
    label.click()
    points = _ask(d, TALKING, 1)
    assert "[1]" in points and "Không tìm thấy" not in points, points
    _wait(d, lambda d: _css(d, "#export-docx") and _css(d, "#export-docx")[0].is_displayed(), 30, "export button")
    assert "[1]" in _css(d, "#tp-text textarea")[0].get_attribute("value")
    _css(d, "#export-docx")[0].click()
    link = _wait(d, lambda d: next((a for a in _css(d, "#docx-file a") if a.get_attribute("href")), None),
                 120, "DOCX download link")
    href = link.get_attribute("href")
    assert href.split("?")[0].endswith(".docx"), href
    _screenshot(d, "talking-points.png")
    data = httpx.get(href, timeout=60).content
    doc = Document(io.BytesIO(data))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0][1] == "Dàn ý phát biểu"
    bullets = [t for s, t in paras if s == "List Bullet"]
    assert len(bullets) >= 2 and all("[" in b for b in bullets), bullets
    sources_listed = [t for _, t in paras if t.startswith("[1] ")]
    assert sources_listed and sources_listed[0].endswith(".txt)"), paras

    # Lookup: the directive index finds 20-CT/ThU; clicking a row shows its source passage.
    _click_tab(d, "Tra cứu")
    box = _wait(d, lambda d: next(iter(_css(d, "#lk-query input, #lk-query textarea")), None), 30, "lookup box")
    box.send_keys("20-CT")
    _css(d, "#lk-go")[0].click()
    cell = _wait(d, lambda d: next((c for c in _css(d, "#lk-table [role=gridcell]") if "20-CT/ThU" in c.text), None),
                 120, "lookup rows")
    cell.click()
    _wait(d, lambda d: _css(d, "#lk-passage mark"), 60, "lookup passage")
    assert "002_53d483f86c03c5e7.txt" in _css(d, "#lk-passage")[0].text
    _screenshot(d, "lookup.png")


@pytest.mark.parametrize("method, route", [
    ("GET", "/gradio_api/info"), ("POST", "/gradio_api/upload"), ("POST", "/gradio_api/queue/join"),
    ("GET", "/config"), ("POST", "/gradio_api/call/ask"),
])
def test_auth_refuses_anonymous_api(auth_server, method, route):
    url, _ = auth_server
    r = httpx.request(method, url + route, json={} if method == "POST" else None, follow_redirects=False,
                      timeout=30)
    assert r.status_code == 401, (route, r.status_code, r.text[:200])  # Gradio 6: 401 "Not authenticated"


def test_auth_login_opens_the_api(auth_server):
    url, _ = auth_server
    with httpx.Client(base_url=url, timeout=30) as c:
        assert c.post("/login", data={"username": "user", "password": "sai"}).status_code in (400, 401)
        assert c.get("/config").status_code == 401
        assert c.post("/login", data={"username": "user", "password": "pw"}).status_code == 200
        assert c.get("/config").status_code == 200


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app-auth")
    proc, url, log = _start_app(tmp, DANVAN_AUTH="user:pw")
    yield url, log
    _stop(proc)
