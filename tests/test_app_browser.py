"""End to end through a real browser: upload seeds, ask, read the cited sources, export talking points.

Starts ``python app.py`` (the real embedding model, a temp store) and drives Debian's chromium with
selenium; a second server with DANVAN_AUTH checks that the API refuses anonymous callers.
"""
from __future__ import annotations

import io
import re

import httpx
import pytest

from browserkit import (ARTIFACTS, QA, REPO, SEED_FILES, SEEDS, TALKING, LONG, _answer, _ask, _bot_texts,  # noqa: F401
                        _click_tab, _css, _in_viewport, _open, _pick, _retype, _screenshot, _start_app, _stop, _wait,
                        browser, server, server_data)

pytestmark = pytest.mark.slow

def test_first_screen_says_the_store_is_empty(server, browser):
    d = browser
    d.get(server)
    _wait(d, lambda d: _css(d, "#question textarea"), 120, "the page")
    banner = _wait(d, lambda d: next((b for b in _css(d, "#empty-banner") if b.is_displayed()), None), 60,
                   "empty-store banner")
    assert "Kho tài liệu đang trống" in banner.text
    assert _in_viewport(d, "#send"), "send button below the fold at 1400×1000"
    _screenshot(d, "first-screen.png")
    # An empty question says so.
    _css(d, "#send")[0].click()
    _wait(d, lambda d: "Hãy nhập câu hỏi" in _css(d, "#ask-note")[0].text, 30, "empty-question message")
    # The banner's button opens the documents tab.
    _css(d, "#go-docs")[0].click()
    _wait(d, lambda d: _css(d, "#uploads") and _css(d, "#uploads")[0].is_displayed(), 30, "documents tab")
    # Vietnamese throughout: Gradio's own texts (upload area, footer) too.
    from selenium.webdriver.common.by import By
    text = d.find_element(By.TAG_NAME, "body").text
    english = [w for w in ("Settings", "Use via API", "Built with", "Drop File", "Click to Upload", "Filter")
               if w in text]
    assert not english, english


def test_upload_progress_and_results(server, browser, tmp_path_factory):
    _open(browser, server)
    d = browser
    _click_tab(d, "Tài liệu")
    empty_pdf = tmp_path_factory.mktemp("bad") / "empty.pdf"
    empty_pdf.write_bytes(b"")
    file_input = _wait(d, lambda d: next(iter(_css(d, "input[type=file]")), None), 60, "file input")
    file_input.send_keys("\n".join([str(SEEDS / f) for f in SEED_FILES] + [str(empty_pdf)]))
    _wait(d, lambda d: all(f in _css(d, "#upload-list")[0].text for f in SEED_FILES + ["empty.pdf"]), 120,
          "chosen file list")
    # Every text the progress panel shows, recorded in the page (polling every 0.5 s can miss a short ingest).
    d.execute_script("""window.dvPanels = []; const panel = document.getElementById('ingest-summary');
      new MutationObserver(() => { const t = panel.innerText; if (window.dvPanels[window.dvPanels.length - 1] !== t)
        window.dvPanels.push(t); }).observe(panel, {childList: true, subtree: true, characterData: true});""")
    _css(d, "#ingest")[0].click()
    seen: list[str] = []

    def finished(d):
        panel = _css(d, "#ingest-summary")[0].text
        if "Tệp " in panel and "đang xử lý" in panel:
            if not seen:
                _screenshot(d, "documents-progress.png", also_docs=True)
            seen.append(panel)
        return "Kết quả nạp tài liệu" in panel and panel
    summary = _wait(d, finished, LONG, "ingest summary")
    seen += [p for p in d.execute_script("return window.dvPanels") if "Tệp " in p and "đang xử lý" in p]
    assert seen and any(f in p for p in seen for f in SEED_FILES), seen  # the current file's name was shown
    assert len(_css(d, "#ingest-summary .dv-progress")) == 0
    assert "Thêm mới: 3" in summary and "Bỏ qua: 1" in summary, summary
    assert "empty.pdf: tệp rỗng" in summary and "trùng nội dung" not in summary, summary
    assert "/uploads/" not in summary and "/tmp" not in summary and "(" not in summary, summary
    assert "Đã xoá khỏi thư mục tải lên: empty.pdf" in summary
    uploads = server_data(server) / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == sorted(SEED_FILES)
    _wait(d, lambda d: "002_53d483f86c03c5e7.txt" in _css(d, "#docs-table")[0].text, 60, "documents table")
    table = _css(d, "#docs-table")[0].text  # issue 26 item 11: the year the lead gives, the place it names
    assert "19/12 (năm 2018)" in table and "thị xã Hồng Lĩnh" in table and "06/01 (năm 2022)" in table, table
    assert "huyện Cẩm Xuyên (Hà Tĩnh)" in table and "Ban thường vụ Thị ủy đã sơ kết" in table, table
    assert "Chiều ngày 19/12" not in table, table  # a headline, not the first sentence cut short
    assert not any(b.is_displayed() for b in _css(d, "#empty-banner"))
    _screenshot(d, "documents.png", also_docs=True)


def test_ask_cite_and_export(server, browser):
    _open(browser, server)
    from docx import Document
    d = browser
    _click_tab(d, "Hỏi đáp")
    answer = _ask(d, QA, len(_bot_texts(d)))
    assert "112" in answer and "[1]" in answer, answer
    sources = _css(d, "#sources")[0]
    assert "112" in sources.text and "002_53d483f86c03c5e7.txt" in sources.text, sources.text
    marks = [m.text.lower() for m in _css(d, "#sources mark")]
    assert "2018" in marks and any("khéo" in m for m in marks), marks
    assert not set(marks) & {"cơ", "về", "vấn", "nhận", "bao", "nhiêu", "năm"}, marks
    head = _css(d, "#sources .dv-src-head")[0].text  # issue 26 item 11: the headline, the year, the place
    assert "Ban thường vụ Thị ủy đã sơ kết 01 năm thực hiện Chỉ thị số 20-CT/ThU" in head and "…" not in head, head
    assert "19/12 (năm 2018) · thị xã Hồng Lĩnh" in _css(d, "#sources .dv-src-meta")[0].text
    _screenshot(d, "screenshot-chat.png", also_docs=True)

    label = _wait(d, lambda d: next((e for e in _css(d, "#mode label") if "Dàn ý phát biểu" in e.text), None),
                  30, "mode choice")
    label.click()
    points = _ask(d, TALKING, len(_bot_texts(d)))
    assert "[1]" in points and "Không tìm thấy" not in points, points
    _wait(d, lambda d: _css(d, "#export-docx") and _css(d, "#export-docx")[0].is_displayed(), 30, "export button")
    assert "[1]" in _css(d, "#tp-text textarea")[0].get_attribute("value")
    # Issue 26 item 10: «Sao chép» puts the outline with its headings on the clipboard and says so.
    d.execute_script("window.dvCopied = null; navigator.clipboard.writeText = async (t) => { window.dvCopied = t; };")
    _css(d, "#copy-tp")[0].click()
    copied = _wait(d, lambda d: d.execute_script("return window.dvCopied"), 30, "the copied outline")
    lines = copied.splitlines()
    assert lines[0] == "I. Mở đầu" and "II." in copied and any(ln.startswith("- ") for ln in lines), copied
    headings = [ln for ln in lines if re.match(r"[IVX]+\. ", ln)]  # "Kết luận" closes them, unnumbered
    assert len(headings) >= 3 and lines.index(headings[-1]) < lines.index("Kết luận"), copied
    assert "Nguồn trích dẫn:" in lines and "[1]" in copied, copied
    _wait(d, lambda d: "Đã sao chép" in _css(d, "#copy-note")[0].text, 30, "«Đã sao chép»")
    _css(d, "#export-docx")[0].click()
    link = _wait(d, lambda d: next((a for a in _css(d, "#docx-file a") if a.get_attribute("href")), None),
                 120, "DOCX download link")
    href = link.get_attribute("href")
    assert href.split("?")[0].endswith(".docx"), href
    _screenshot(d, "talking-points.png", also_docs=True)
    doc = Document(io.BytesIO(httpx.get(href, timeout=60).content))
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0][1] == "Dàn ý phát biểu"
    bullets = [t for s, t in paras if s == "List Bullet"]
    assert len(bullets) >= 2 and all("[" in b for b in bullets), bullets
    auto = _wait(d, lambda d: next((e for e in _css(d, "#mode label") if "Tự động" in e.text), None), 30, "auto")
    auto.click()


def test_follow_up_then_unrelated_question(server, browser):
    _open(browser, server)
    d = browser
    _click_tab(d, "Hỏi đáp")
    _css(d, "#clear")[0].click()
    _wait(d, lambda d: not any(t.strip() for t in _bot_texts(d)), 30, "cleared chat")
    _ask(d, QA, 0)
    follow = _ask(d, "Còn năm 2019 thì sao?", 1)
    assert "Câu hỏi được hiểu là" in follow and "2019" in follow, follow
    undo = _wait(d, lambda d: next((b for b in _css(d, "#undo-followup") if b.is_displayed()), None), 30, "undo")
    assert "Còn năm 2019 thì sao?" in undo.text
    unrelated = _ask(d, "Giá vàng hôm nay bao nhiêu?", 2)
    assert "Câu hỏi được hiểu là" not in unrelated and "dân vận khéo" not in unrelated.lower(), unrelated
    assert not any(b.is_displayed() for b in _css(d, "#undo-followup"))


TALL = "Thị xã Hồng Lĩnh sơ kết một năm thực hiện Chỉ thị 20-CT/ThU đạt những kết quả gì?"  # taller than the chat
NOT_FOUND_2020 = "Năm 2020 thị xã Hồng Lĩnh đăng ký bao nhiêu mô hình dân vận khéo?"  # nearest: the 2018 figure

# Records every text the newest bot message shows (the answer as it grows) into window.dvSeen.
RECORD_JS = """window.dvSeen = []; if (window.dvObs) window.dvObs.disconnect();
window.dvObs = new MutationObserver(() => { const b = [...document.querySelectorAll('#chat [data-testid=bot]')];
  const t = b.length ? b[b.length - 1].innerText : ''; if (window.dvSeen[window.dvSeen.length - 1] !== t)
  window.dvSeen.push(t); });
window.dvObs.observe(document.body, {childList: true, subtree: true, characterData: true});"""

# The newest bot message's top and bottom against the visible part of the chat's scrolled box.
VIEW_JS = """const b = [...document.querySelectorAll('#chat [data-testid=bot]')].pop(); let n = b.parentElement;
while (n && !(['auto', 'scroll'].includes(getComputedStyle(n).overflowY) && n.scrollHeight > n.clientHeight))
  n = n.parentElement;
const r = b.getBoundingClientRect(), c = (n || document.documentElement).getBoundingClientRect();
return [r.top - c.top, c.bottom - r.top];"""

SCROLL_TOP_JS = """for (let n = document.querySelector('#chat [data-testid=bot]'); n; n = n.parentElement)
  if (['auto', 'scroll'].includes(getComputedStyle(n).overflowY) && n.scrollHeight > n.clientHeight) n.scrollTop = 0;"""


def _send_with_enter(d, question: str, n_before: int) -> str:
    from selenium.webdriver.common.keys import Keys
    box = _wait(d, lambda d: next(iter(_css(d, "#question textarea")), None), 60, "question box")
    box.clear()
    box.send_keys(question, Keys.ENTER)
    return _answer(d, question, n_before)


def test_chat_follows_the_newest_answer(server, browser):
    """Issue 26 items 1-4: Enter sends (Shift+Enter a new line, said under the box); the newest answer scrolls
    into view after a tall one, grows statement by statement, one paragraph per statement; the sources panel
    says which question it belongs to; a not-found answer gives its nearest sentence once."""
    from selenium.webdriver.common.keys import Keys
    _open(browser, server)
    d = browser
    _click_tab(d, "Hỏi đáp")
    _css(d, "#clear")[0].click()
    _wait(d, lambda d: not any(t.strip() for t in _bot_texts(d)), 30, "cleared chat")
    assert "Enter để gửi" in _css(d, "#question")[0].text and "Shift+Enter" in _css(d, "#question")[0].text
    box = _css(d, "#question textarea")[0]
    box.send_keys("dòng một", Keys.SHIFT, Keys.ENTER, Keys.NULL, "dòng hai")
    assert box.get_attribute("value") == "dòng một\ndòng hai" and not _bot_texts(d)  # a new line, nothing sent
    _send_with_enter(d, TALL, 0)
    _send_with_enter(d, TALL, 1)  # two tall answers: more than the chat box holds
    d.execute_script(SCROLL_TOP_JS)  # the reader goes back up to read the tall answer from its start
    d.execute_script(RECORD_JS)
    answer = _send_with_enter(d, QA, 2)
    _wait(d, lambda d: "[2]" in (d.execute_script("return window.dvSeen") or [""])[-1], 30, "the whole answer")
    top, room = d.execute_script(VIEW_JS)
    assert top >= -2 and room > 150, (top, room)  # the start of the newest answer is in the chat's view
    seen = d.execute_script("return window.dvSeen")
    assert any("[1]" in t and "[2]" not in t and "Đang tìm" not in t for t in seen), seen  # shown as it grew
    paras = [p.text for p in _css(d, '#chat [data-testid="bot"]')[-1].find_elements("css selector", "p")]
    assert any("[2]" in p and "[1]" not in p for p in paras), paras  # [2] is a paragraph of its own
    assert "./" not in answer, answer
    assert QA in _css(d, "#sources-for")[0].text and "112" in _css(d, "#sources")[0].text
    missing = _send_with_enter(d, NOT_FOUND_2020, 3)
    assert "Không tìm thấy" in missing and missing.count("112 mô hình") == 1, missing
    assert NOT_FOUND_2020 in _css(d, "#sources-for")[0].text
    assert "Copy message" not in d.page_source and "Clear" not in d.page_source  # Gradio's chat buttons


def test_unaccented_question_highlights_restored_words(server, browser):
    """Issue 26 item 5: typed without accents, the sources mark the question's words as the documents write
    them, not only the year."""
    _open(browser, server)
    d = browser
    _click_tab(d, "Hỏi đáp")
    _css(d, "#clear")[0].click()
    _wait(d, lambda d: not any(t.strip() for t in _bot_texts(d)), 30, "cleared chat")
    _ask(d, "nam 2018 thi xa hong linh dang ky bao nhieu mo hinh dan van kheo", 0)
    marked = _wait(d, lambda d: {m.text.lower() for m in _css(d, "#sources mark")} or None, 60, "marked words")
    assert {"2018", "mô hình", "dân vận khéo"} <= marked, marked


def test_filters_are_honest(server, browser):
    _open(browser, server)
    d = browser
    _click_tab(d, "Hỏi đáp")
    _css(d, "#clear")[0].click()
    _wait(d, lambda d: not any(t.strip() for t in _bot_texts(d)), 30, "cleared chat")
    acc = _wait(d, lambda d: next((e for e in _css(d, "#filters button, #filters .label-wrap")
                                   if "Bộ lọc" in e.text), None), 30, "filters accordion")
    acc.click()
    box = _wait(d, lambda d: next((e for e in _css(d, "#date-from input, #date-from textarea") if e.is_displayed()),
                                  None), 30, "date from")
    box.send_keys("01/01/2019")
    _css(d, "#date-to input, #date-to textarea")[0].send_keys("31/12/2019")
    _css(d, "#date-to input, #date-to textarea")[0].send_keys("\t")
    _wait(d, lambda d: "Bộ lọc đang bật" in _css(d, "#filter-state")[0].text, 30, "filter state")
    assert "không gồm tài liệu không rõ ngày" in _css(d, "#filter-state")[0].text
    # 002 (the only source of the answer) states no date: excluded by the range, and said so.
    answer = _ask(d, QA, len(_bot_texts(d)))
    assert "Không tìm thấy trong phạm vi lọc" in answer and "112" not in answer, answer
    _css(d, "#include-undated input")[0].click()
    _wait(d, lambda d: "gồm cả tài liệu không rõ ngày" in _css(d, "#filter-state")[0].text, 30, "undated on")
    answer = _ask(d, QA, len(_bot_texts(d)))
    assert "112" in answer and "Đang lọc" in answer, answer
    _screenshot(d, "filters.png")
    for sel in ("#date-from", "#date-to"):
        field = _css(d, f"{sel} input, {sel} textarea")[0]
        field.clear()
        field.send_keys("\t")
    _css(d, "#include-undated input")[0].click()


def test_lookup_one_row_per_reference(server, browser):
    _open(browser, server)
    d = browser
    _click_tab(d, "Tra cứu")
    box = _wait(d, lambda d: next(iter(_css(d, "#lk-query input, #lk-query textarea")), None), 30, "lookup box")
    box.send_keys("20-CT")
    _css(d, "#lk-go")[0].click()
    note = _wait(d, lambda d: "mục" in _css(d, "#lk-note")[0].text and _css(d, "#lk-note")[0].text, 120,
                 "lookup note")
    m = re.match(r"(\d+) mục \((\d+) lần nhắc\)", note)
    assert m and m.group(1) == "1" and int(m.group(2)) >= 2, note  # one directive, mentioned several times
    _wait(d, lambda d: any("20-CT/ThU" in c.text for c in _css(d, "#lk-table [role=gridcell]")), 60, "row")
    font = d.execute_script("return getComputedStyle(document.querySelector('#lk-table th, #lk-table td'))"
                            ".fontFamily")
    assert "mono" not in font.lower(), font
    cell = next(c for c in _css(d, "#lk-table [role=gridcell]") if "20-CT/ThU" in c.text)
    cell.click()
    _wait(d, lambda d: _css(d, "#lk-passage mark"), 60, "lookup passage")
    assert "002_53d483f86c03c5e7.txt" in _css(d, "#lk-passage")[0].text
    _screenshot(d, "lookup.png", also_docs=True)
    from selenium.webdriver.common.keys import Keys  # issue 26 item 12: Enter searches, the old passage goes
    _retype(box)
    _retype(_css(d, "#lk-figure input, #lk-figure textarea")[0], "mô hình", Keys.ENTER)
    _wait(d, lambda d: "112" in _css(d, "#lk-table")[0].text and "20-CT/ThU" not in _css(d, "#lk-table")[0].text,
          60, "the new search's rows")
    assert re.match(r"[1-9]\d* mục", _css(d, "#lk-note")[0].text), _css(d, "#lk-note")[0].text
    assert not _css(d, "#lk-passage")[0].text.strip()


def test_narrow_screen(server, browser):
    """Issue 26 item 13: at 420 px the lookup rows are cards (not a table one letter wide), and on the chat tab
    the sources come before the example questions."""
    _open(browser, server)
    d = browser
    d.set_window_size(420, 900)
    try:
        _click_tab(d, "Tra cứu")
        box = _wait(d, lambda d: next(iter(_css(d, "#lk-query input, #lk-query textarea")), None), 30, "lookup box")
        _retype(_css(d, "#lk-figure input, #lk-figure textarea")[0])
        _retype(box, "20-CT")
        _css(d, "#lk-go")[0].click()
        card = _wait(d, lambda d: next((c for c in _css(d, "#lk-cards .dv-card") if c.is_displayed()), None), 60,
                     "a card")
        assert "20-CT/ThU" in card.text and card.size["width"] > 300, card.size
        assert not _css(d, "#lk-table")[0].is_displayed()
        _screenshot(d, "lookup-420.png", also_docs=True)
        _click_tab(d, "Hỏi đáp")
        y = d.execute_script("return [document.querySelector('#sources').getBoundingClientRect().top, "
                             "document.querySelector('#examples').getBoundingClientRect().top]")
        assert y[0] < y[1], y
        _screenshot(d, "chat-420.png", also_docs=True)
    finally:
        d.set_window_size(1400, 1000)


def test_remove_document_asks_and_deletes_the_upload(server, browser):
    _open(browser, server)
    d = browser
    _click_tab(d, "Tài liệu")
    gone = "003_1a7fc85f422d364f.txt"
    _pick(d, "remove-choice", gone)
    _css(d, "#remove")[0].click()
    confirm = _wait(d, lambda d: next((b for b in _css(d, "#remove-confirm") if b.is_displayed()), None), 30,
                    "confirmation")
    assert gone in _css(d, "#remove-confirm-text")[0].text
    assert (server_data(server) / "uploads" / gone).exists()  # nothing happens before confirming
    confirm.click()
    _wait(d, lambda d: "Đã xoá" in _css(d, "#remove-msg")[0].text, 60, "removal message")
    assert "thư mục tải lên" in _css(d, "#remove-msg")[0].text
    assert not (server_data(server) / "uploads" / gone).exists()
    _wait(d, lambda d: gone not in _css(d, "#docs-table")[0].text, 60, "table without the document")


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
        assert c.post("/login", data={"username": "khach", "password": "sai"}).status_code == 400
        assert c.get("/config").status_code == 401
        assert c.post("/login", data={"username": "user", "password": "pw"}).status_code == 200
        assert c.get("/config").status_code == 200


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app-auth")
    proc, url, log = _start_app(tmp, DANVAN_AUTH="user:pw")
    yield url, log
    _stop(proc)


def test_login_page_is_vietnamese_and_throttles(auth_server, browser):
    from selenium.webdriver.common.by import By
    url, log = auth_server
    d = browser
    d.delete_all_cookies()
    d.get(url)
    _wait(d, lambda d: _css(d, "#login-form"), 60, "login page")
    text = d.find_element(By.TAG_NAME, "body").text
    assert "Đăng nhập" in text and "Tên đăng nhập" in text and "Mật khẩu" in text, text
    assert not any(w in text.lower() for w in ("login", "username", "password", "incorrect")), text
    _screenshot(d, "login.png")
    _css(d, "#login-button")[0].click()  # empty fields: our Vietnamese message, not the browser's English bubble
    _wait(d, lambda d: "Hãy nhập tên đăng nhập" in _css(d, "#login-error")[0].text, 30, "empty-field message")
    assert d.execute_script("return document.getElementById('username').validationMessage") == ""
    _css(d, "#username")[0].send_keys("ke-la")
    _css(d, "#login-button")[0].click()
    _wait(d, lambda d: "Hãy nhập mật khẩu" in _css(d, "#login-error")[0].text, 30, "empty-password message")
    for i in range(6):
        _css(d, "#username")[0].clear()
        _css(d, "#username")[0].send_keys("ke-la")
        _css(d, "#password")[0].clear()
        _css(d, "#password")[0].send_keys(f"sai{i}")
        _css(d, "#login-button")[0].click()
        _wait(d, lambda d: _css(d, "#login-error")[0].text.strip(), 30, "login error")
        message = _css(d, "#login-error")[0].text
        if i < 5:
            assert "Sai tên đăng nhập hoặc mật khẩu" in message, message
            d.execute_script("document.getElementById('login-error').textContent = ''")
    assert "thử lại sau" in message, message
    assert "Khoá đăng nhập user:ke-la" in log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def roles_server(tmp_path_factory):
    """An app whose accounts store has a reader, an editor of «van-phong» and an admin."""
    from assistant.accounts.access import Access
    from config import Settings
    tmp = tmp_path_factory.mktemp("app-roles")
    acc = Access(Settings(data_dir=tmp / "data", _env_file=None)).accounts
    for name, role in (("doc", "reader"), ("bien", "editor"), ("quan", "admin")):
        acc.add_user(name, "mật khẩu dài 1", role)
    acc.add_collection("van-phong", "Văn phòng")
    acc.add_collection("mat-tran")
    acc.grant("bien", "van-phong", write=True)
    acc.grant("doc", "mat-tran")
    proc, url, log = _start_app(tmp)
    yield url
    _stop(proc)


def _login(d, url: str, name: str) -> None:
    d.delete_all_cookies()
    d.get(url + "/login")
    _wait(d, lambda d: _css(d, "#login-form"), 60, "login page")
    _css(d, "#username")[0].send_keys(name)
    _css(d, "#password")[0].send_keys("mật khẩu dài 1")
    _css(d, "#login-button")[0].click()
    _wait(d, lambda d: _css(d, "#question textarea"), 120, "the app after login")
    _wait(d, lambda d: any(e.is_displayed() for e in _css(d, "#logout")), 60, "«Đăng xuất»")


def _tabs(d) -> list[str]:
    return [b.text.strip() for b in _css(d, "button[role=tab]") if b.is_displayed()]


def test_roles_in_the_screens(roles_server, browser):
    """Issue 26 items 14-16: «Đăng xuất» once logged in (and it ends the session); a reader sees no upload or
    remove controls; an editor's upload picker holds only what it may write, its own collection first; only an
    admin sees «Quản trị»."""
    d, url = browser, roles_server
    _login(d, url, "doc")
    assert "doc" in _css(d, "#account")[0].text and "Quản trị" not in _tabs(d)
    _click_tab(d, "Tài liệu")
    _wait(d, lambda d: _css(d, "#docs-table"), 30, "documents tab")
    assert not any(e.is_displayed() for e in _css(d, "#uploads, #ingest, #remove, #upload-collection"))
    assert "Bộ tài liệu" in _css(d, "#docs-table")[0].text  # the table's collection column
    _css(d, "#logout")[0].click()
    _wait(d, lambda d: _css(d, "#login-form"), 60, "login page after «Đăng xuất»")
    d.get(url)
    _wait(d, lambda d: _css(d, "#login-form"), 60, "login page: the session ended")
    _login(d, url, "bien")
    _click_tab(d, "Tài liệu")
    _wait(d, lambda d: any(e.is_displayed() for e in _css(d, "#uploads")), 60, "the editor's upload button")
    assert _css(d, "#upload-collection input")[0].get_attribute("value") == "van-phong"
    _css(d, "#upload-collection input")[0].click()
    def names(d):
        found = [o.get_attribute("textContent").replace("✓", "").strip() for o in _css(d, "[role=option]")]
        return found if found and all(found) else None
    options = _wait(d, names, 30, "collection options")
    assert sorted(options) == ["chung", "van-phong"], options  # not «mat-tran», which it may not write
    assert "Quản trị" not in _tabs(d)
    _login(d, url, "quan")
    assert "Quản trị" in _tabs(d)


def test_no_admin_tab_without_login(server):
    """Issue 26 item 16: the app without any login serves no «Quản trị» tab and no admin route."""
    config = httpx.get(server + "/config", timeout=30).text
    assert "Quản trị" not in config and "admin_add_user" not in config
