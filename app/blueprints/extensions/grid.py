"""The quick-edit grid (F12): every extension on one page, cells edited in place, one Save.

A clicked cell swaps in its editor (HTMX); the editors are inputs of the one grid
form, named `e<id>-<field>`, and a hidden `cells` input lists the opened cells.
Save validates each touched row as a whole, with the same form and rules as the
settings page, and stores all of them in one transaction or none (G25).
"""
from dataclasses import dataclass
from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.blueprints.extensions import bp
from app.blueprints.extensions.forms import (DND_HINT, TOLL_MODE_LABELS, UC_DESKTOP_HINT, UC_LEGACY_HINT,
                                             AdminSettingsForm, current_values)
from app.blueprints.extensions.saving import commit_or_stale
from app.blueprints.guards import admin_required
from app.flask_extensions import db
from app.models.extension import Extension
from app.services import company_users, extension_settings, extensions, music_on_hold
from app.services.calls import summary


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    fields: tuple[str, ...]
    group: object
    hint: object = None  # what an abbreviation or a product name in the header means


CONFIGURATION, SETTINGS, PERMISSIONS = _l("Configuration"), _l("Settings"), _l("Permissions")
COLUMNS = (
    Column("name", _l("Name"), ("name",), _l("Extension")),
    Column("caller_id", _l("Caller ID"), ("caller_id_name", "caller_id_number"), CONFIGURATION),
    Column("language", _l("Language"), ("language",), CONFIGURATION),
    Column("moh", _l("Music on hold"), ("moh",), CONFIGURATION),
    Column("ring_seconds", _l("Ring for"), ("ring_seconds",), CONFIGURATION),
    Column("recording", _l("Recordings"), ("record_incoming", "record_outgoing"), CONFIGURATION),
    Column("dnd", _l("DND"), ("dnd",), SETTINGS, DND_HINT),
    Column("voicemail", _l("Voicemail"), ("voicemail_enabled",), SETTINGS),
    Column("findme", _l("Find-me/follow-me"), ("findme_enabled", "findme_number", "findme_ring_seconds"), SETTINGS),
    Column("forwarding", _l("Call forwarding"), ("forward_enabled", "forward_rule", "forward_target",
                                                 "forward_number", "forward_extension"), SETTINGS),
    Column("long_distance", _l("Long distance"), ("long_distance", "long_distance_code"), PERMISSIONS),
    Column("international", _l("International"), ("international", "international_code"), PERMISSIONS),
    Column("uc_legacy", _l("UC Legacy"), ("uc_legacy",), PERMISSIONS, UC_LEGACY_HINT),
    Column("uc_desktop", _l("UC Desktop"), ("uc_desktop", "accept_fee"), PERMISSIONS, UC_DESKTOP_HINT),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_GROUPS = [(group, len(list(items))) for group, items in groupby(COLUMNS, key=lambda c: c.group)]
# Where a rule about a field that has no column of its own shows its message.
FIELD_COLUMN = {field: column.key for column in COLUMNS for field in column.fields} | {
    "voicemail_email": "voicemail", "voicemail_password": "voicemail", "voicemail_email_only": "voicemail",
}


class RowForms:
    """Builds the settings form of one grid row, with what the company offers loaded once."""

    def __init__(self, company_id: int):
        self.choices = extension_settings.CompanyChoices.load(company_id)
        self.moh = music_on_hold.choices()
        self.users = company_users.active_users(company_id)

    def form(self, extension: Extension, formdata: MultiDict | None = None) -> AdminSettingsForm:
        prefix = f"e{extension.id}"
        if formdata is None:
            formdata = MultiDict([(f"{prefix}-{k}", v) for k, v in current_values(extension).items(multi=True)])
        return AdminSettingsForm(formdata=formdata, prefix=prefix, meta={"csrf": False}, choices_=self.choices,
                                 moh_choices=self.moh, extension=extension, users=self.users)


def _page(extensions_, pending=None, errors=None, status: int = 200):
    return render_template("extensions/grid.html", extensions=extensions_, columns=COLUMNS,
                           column_groups=COLUMN_GROUPS, pending=pending or {}, errors=errors or {},
                           toll_labels=TOLL_MODE_LABELS), status


@bp.get("/grid")
@admin_required
def grid():
    return _page(extensions.all_of_company(current_user.company_id))


@bp.get("/grid/<int:extension_id>/<column>")
@admin_required
def cell_editor(extension_id: int, column: str):
    if column not in COLUMNS_BY_KEY:
        abort(404)
    extension = extensions.for_company(current_user.company_id, extension_id)
    if extension is None:
        abort(404)
    form = RowForms(extension.company_id).form(extension)
    return render_template("extensions/_grid_editor.html", extension=extension, column=COLUMNS_BY_KEY[column],
                           form=form, toll_labels=TOLL_MODE_LABELS)


def _opened_cells() -> dict[int, set[str]]:
    opened: dict[int, set[str]] = {}
    for cell in request.form.getlist("cells"):
        extension_id, _, column = cell.partition(":")
        if extension_id.isascii() and extension_id.isdigit() and column in COLUMNS_BY_KEY:
            opened.setdefault(int(extension_id), set()).add(column)
    return opened


def _row_formdata(extension: Extension, columns: set[str]) -> MultiDict:
    """Saved values, overlaid with what was posted for the opened cells of this row."""
    prefix = f"e{extension.id}-"
    data = MultiDict([(prefix + k, v) for k, v in current_values(extension).items(multi=True)])
    posted_version = request.form.get(prefix + "version")
    if posted_version is not None:
        data.setlist(prefix + "version", [posted_version])
    for key in columns:
        for field in COLUMNS_BY_KEY[key].fields:
            data.setlist(prefix + field, request.form.getlist(prefix + field))  # absent checkbox = off
    return data


@bp.post("/grid")
@admin_required
def save_grid():
    """Every touched row through the settings page's save (extension_settings.save), all
    in one transaction or none (G25)."""
    opened = _opened_cells()
    rows = {e.id: e for e in extensions.all_of_company(current_user.company_id)}
    if any(extension_id not in rows for extension_id in opened):
        abort(404)  # a cell of another company's (or a deleted) extension
    forms = RowForms(current_user.company_id)
    pending, errors, notices = {}, {}, []

    def problem(extension_id: int, field: str, message) -> None:
        column = FIELD_COLUMN.get(field, "name")
        errors.setdefault((extension_id, column), []).append(message)
        pending[extension_id][1].add(column)

    for extension_id, columns in opened.items():
        extension = rows[extension_id]
        form = forms.form(extension, _row_formdata(extension, columns))
        pending[extension_id] = (form, columns)
        if not form.validate():
            for field, messages in form.errors.items():
                for message in messages:
                    problem(extension_id, field, message)
            continue
        saved = extension_settings.save(extension, form.data, admin=True, by_user_id=current_user.id)
        for field, message in saved.problems.items():
            problem(extension_id, field, message)
        if saved.ok:
            notices += [f"{extension.number}: {notice}" for notice in summary.notices(saved.handling)]
    if errors:
        db.session.rollback()
        return _page(list(rows.values()), pending, errors, status=422)
    if not commit_or_stale():
        flash(_("Someone else saved one of these extensions meanwhile. Nothing was saved: reload and try again."),
              "error")
        return redirect(url_for("extensions.grid"))
    if opened:
        flash(ngettext("%(num)d extension saved. Make a test call to check the change.",
                       "%(num)d extensions saved. Make a test call to check the changes.", len(opened)), "success")
    for notice in notices:
        flash(notice, "warning")
    return redirect(url_for("extensions.grid"))
