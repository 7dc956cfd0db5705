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
.dv-progress { padding: 6px 0; }
.dv-bar { height: 12px; background: #e5e7eb; border-radius: 6px; margin: 4px 0 10px; overflow: hidden; max-width: 640px; }
.dv-bar > div { height: 100%; background: #ea580c; transition: width 0.3s; }
"""

COPY_JS = """(text) => {
  const done = () => {};
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); }
  else { const t = document.createElement('textarea'); t.value = text; document.body.appendChild(t);
         t.select(); document.execCommand('copy'); document.body.removeChild(t); }
  return [];
}"""
