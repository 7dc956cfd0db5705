"""The login page (Vietnamese), served in place of Gradio's English one when accounts are configured."""
from __future__ import annotations

import html

LOGIN_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — đăng nhập</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f3f4f6; display: flex; min-height: 100vh; margin: 0;
       align-items: center; justify-content: center; }}
form {{ background: #fff; padding: 28px 32px; border-radius: 10px; box-shadow: 0 2px 12px rgba(0,0,0,.08);
       width: 340px; }}
h1 {{ font-size: 1.3em; margin: 0 0 16px; }}
label {{ display: block; margin: 12px 0 4px; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; padding: 8px; font-size: 1em; border: 1px solid #ccc;
        border-radius: 6px; }}
button {{ margin-top: 18px; width: 100%; padding: 10px; font-size: 1em; background: #ea580c; color: #fff;
         border: 0; border-radius: 6px; cursor: pointer; }}
#login-error {{ color: #b91c1c; margin-top: 12px; min-height: 1.2em; }}
</style></head>
<body><form id="login-form" novalidate>
<h1>{title} — đăng nhập</h1>
<label for="username">Tên đăng nhập</label><input id="username" name="username" autocomplete="username">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button id="login-button" type="submit">Đăng nhập</button>
<div id="login-error" role="alert"></div>
</form>
<script>
document.getElementById('login-form').addEventListener('submit', async (e) => {{
  e.preventDefault();
  const err = document.getElementById('login-error');
  err.textContent = '';
  const missing = [['username', 'Hãy nhập tên đăng nhập.'], ['password', 'Hãy nhập mật khẩu.']]
    .find(([id]) => !document.getElementById(id).value.replace(id === 'username' ? /\s/g : '', ''));
  if (missing) {{ err.textContent = missing[1]; document.getElementById(missing[0]).focus(); return; }}
  const body = new URLSearchParams(new FormData(e.target));
  try {{
    const r = await fetch('login', {{method: 'POST', body}});
    if (r.ok) {{ window.location.href = './'; return; }}
    let msg = 'Không đăng nhập được.';
    try {{ const j = await r.json(); if (j.detail) {{ msg = j.detail; }} }} catch (_) {{}}
    err.textContent = msg;
  }} catch (_) {{ err.textContent = 'Không kết nối được máy chủ.'; }}
}});
</script></body></html>"""


def login_page(title: str) -> str:
    return LOGIN_PAGE.format(title=html.escape(title))
