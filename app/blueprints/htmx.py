"""Choosing between a full page and its HTMX fragment."""
from flask import g, render_template


def render(page: str, partial: str, **context):
    """Render the fragment for an HTMX request, the whole page otherwise."""
    return render_template(partial if g.get("htmx") else page, **context)
