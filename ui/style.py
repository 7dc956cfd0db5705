"""Page styling and small browser-side scripts (no logic)."""

CSS = """
.dv-sources { font-size: 0.95em; }
.dv-src { border-left: 3px solid #2b6cb0; padding: 4px 10px; margin: 8px 0; }
.dv-src-head { font-weight: 600; }
.dv-n { color: #2b6cb0; margin-right: 4px; }
.dv-src-meta { color: #666; font-size: 0.9em; }
.dv-quote { margin: 6px 0; padding: 4px 8px; background: rgba(127,127,127,0.08); white-space: pre-wrap; }
.dv-passage { white-space: pre-wrap; font-size: 0.9em; }
.dv-sources mark, .dv-passage mark { background: #fde68a; color: inherit; padding: 0 1px; }
.dv-notfound { border-left: 3px solid #d97706; padding: 6px 10px; color: #92400e; }
.dv-nearest { border-left: 3px dashed #9ca3af; padding: 4px 10px; margin: 8px 0; color: #4b5563; }
.dv-empty { color: #888; }
.dv-banner { border: 1px solid #d97706; background: #fffbeb; color: #92400e; padding: 8px 12px; border-radius: 6px; }
.dv-filter-note { color: #1e40af; font-size: 0.9em; }
#lk-table, #lk-table *, #docs-table, #docs-table * { font-family: var(--font, system-ui, sans-serif) !important; }
#chat { min-height: 240px; }
#lk-cards { display: none; }
.dv-card { border: 1px solid #d1d5db; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.dv-card-head { font-weight: 600; }
@media (max-width: 640px) {  /* a phone: lookup rows as cards, not a table squeezed one letter per line */
  #lk-table { display: none !important; }
  #lk-cards { display: block !important; }
}
.dv-account { text-align: right; padding-top: 8px; }
#logout { font-weight: 600; }
.dv-progress { padding: 6px 0; }
.dv-bar { height: 12px; background: #e5e7eb; border-radius: 6px; margin: 4px 0 10px; overflow: hidden; max-width: 640px; }
.dv-bar > div { height: 100%; background: #ea580c; transition: width 0.3s; }
"""

COPIED = "Đã sao chép"
NOT_COPIED = "Không sao chép được: hãy bôi đen dàn ý ở trên rồi nhấn Ctrl+C."
# The «Sao chép» button: the text to the clipboard (the Clipboard API where the page is a secure context, else
# the older copy command, as on a plain-HTTP office network), then its result for the note beside the button.
COPY_JS = """async (text) => {
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return '%s'; }
    const t = document.createElement('textarea'); t.value = text; t.setAttribute('readonly', '');
    t.style.position = 'fixed'; t.style.opacity = '0'; document.body.appendChild(t); t.select();
    const ok = document.execCommand('copy'); document.body.removeChild(t);
    return ok ? '%s' : '%s';
  } catch (e) { return '%s'; }
}""" % (COPIED, COPIED, NOT_COPIED, NOT_COPIED)

# Gradio's own labels (its frontend has no Vietnamese): the chat's buttons. Given for "vi" and for "en", the
# fallback of a browser in any language Gradio does not know, so no English is left on the page.
GRADIO_VI = {
    "chatbot.copy_message": "Sao chép câu trả lời", "chatbot.copied_message": "Đã sao chép",
    "chatbot.clear": "Xoá hội thoại", "chatbot.retry": "Hỏi lại", "chatbot.undo": "Hoàn tác",
    "chatbot.edit": "Sửa", "chatbot.submit": "Gửi", "chatbot.cancel": "Huỷ", "chatbot.like": "Thích",
    "chatbot.dislike": "Không thích", "chatbot.complete": "Xong",
}

# Runs once when the page loads. When a question is sent (a new user message in #chat), the chat box scrolls so
# that the question is at its top, and keeps it there while the answer grows below it, until the reader scrolls
# (wheel, touch, keys). Gradio's own autoscroll is off: it follows only a reader already at the bottom, and
# then the bottom, which hides the start of a long answer.
PAGE_JS = """() => {
  const scroller = (el) => { for (let n = el.parentElement; n; n = n.parentElement) {
      const s = getComputedStyle(n).overflowY;
      if (s === 'auto' || s === 'scroll') return n; }
    return null; };
  let seen = 0, pinned = null;
  const unpin = () => { pinned = null; };
  const follow = () => {
    const chat = document.getElementById('chat');
    if (!chat) return;
    const users = chat.querySelectorAll('[data-testid="user"]');
    if (users.length !== seen) {
      pinned = users.length > seen ? users[users.length - 1] : null;
      seen = users.length;
    }
    if (!pinned || !pinned.isConnected) return;
    const box = scroller(pinned);
    if (!box) return;
    if (!box.dataset.dvFollow) {
      box.dataset.dvFollow = '1';
      for (const e of ['wheel', 'touchmove', 'keydown', 'mousedown']) box.addEventListener(e, unpin, {passive: true});
    }
    const off = pinned.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    if (Math.abs(off) > 1) box.scrollTop += off;
  };
  new MutationObserver(() => requestAnimationFrame(follow)).observe(document.body, {childList: true, subtree: true});
}"""
