"""HTMX-aware responses: a full page or its fragment, and signing in again from a fragment."""
from flask import Response, flash, g, redirect, render_template, request
from flask_login import login_url

from app.flask_extensions import login_manager


def render(page: str, partial: str, **context):
    """Render the fragment for an HTMX request, the whole page otherwise."""
    return render_template(partial if g.get("htmx") else page, **context)


def sign_in_first():
    """Flask-Login's unauthorized handler: to the login page, then back.

    A plain request is redirected there. An HTMX request (a grid cell, the address-book search)
    must not be: the browser would follow the redirect inside the request and swap the login
    page into the cell. It gets HX-Redirect instead, which htmx follows with a full-page visit,
    and `next` is the page the request came from (HX-Current-URL), not the fragment's URL."""
    flash(login_manager.login_message, login_manager.login_message_category)
    if request.headers.get("HX-Request") == "true":
        came_from = request.headers.get("HX-Current-URL") or request.referrer or "/"
        # login_url keeps only the path and query of `next`: never another site.
        return Response(status=401, headers={"HX-Redirect": login_url(login_manager.login_view, came_from)})
    return redirect(login_url(login_manager.login_view, request.url))
