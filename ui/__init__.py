"""The web app (Gradio): the top layer. One module per tab, rendering helpers, and the server.

Importing ``ui`` is cheap: Gradio is imported by the tab modules, which ``ui.app`` loads when serving.
Nothing below ``ui`` (assistant/, vectorstore/, ingest/) imports it.
"""
