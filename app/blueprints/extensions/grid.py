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
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from app.blueprints.extensions import bp
from app.blueprints.extensions.forms import AdminSettingsForm, current_values
from app.blueprints.extensions.routes import company_users, moh_choices
from app.blueprints.guards import admin_required
from app.extensions import db
from app.models.extension import Extension
from app.services import billing
from app.services import extensions as rules
from app.services.tenancy import get_in_company_or_404, scoped
from app.telephony import notify


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    fields: tuple[str, ...]
    group: object


CONFIGURATION, SETTINGS, PERMISSIONS = _l("Configuration"), _l("Settings"), _l("Permissions")
COLUMNS = (
    Column("name", _l("Name"), ("name",), _l("Extension")),
    Column("caller_id", _l("Caller ID"), ("caller_id_name", "caller_id_number"), CONFIGURATION),
    Column("language", _l("Language"), ("language",), CONFIGURATION),
    Column("moh", _l("Music on hold"), ("moh",), CONFIGURATION),
    Column("ring_seconds", _l("Ring for"), ("ring_seconds",), CONFIGURATION),
    Column("recording", _l("Recordings"), ("record_incoming", "record_outgoing"), CONFIGURATION),
    Column("dnd", _l("DND"), ("dnd",), SETTINGS),
    Column("voicemail", _l("Voicemail"), ("voicemail_enabled",), SETTINGS),
    Column("findme", _l("Find-me/follow-me"), ("findme_enabled", "findme_number", "findme_ring_seconds"), SETTINGS),
    Column("forwarding", _l("Call forwarding"), ("forward_enabled", "forward_rule", "forward_target",
                                                 "forward_number", "forward_extension"), SETTINGS),
    Column("long_distance", _l("Long distance"), ("long_distance", "long_distance_code"), PERMISSIONS),
    Column("international", _l("International"), ("international", "international_code"), PERMISSIONS),
    Column("uc_legacy", _l("UC Legacy"), ("uc_legacy",), PERMISSIONS),
    Column("uc_desktop", _l("UC Desktop"), ("uc_desktop",), PERMISSIONS),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_GROUPS = [(group, len(list(items))) for group, items in groupby(COLUMNS, key=lambda c: c.group)]
# Where a rule about a field that has no column of its own shows its message.
FIELD_COLUMN = {field: column.key for column in COLUMNS for field in column.fields} | {
    "voicemail_email": "voicemail", "voicemail_password": "voicemail", "voicemail_email_only": "voicemail",
}


def _grid_extensions():
    return db.session.execute(
        scoped(Extension).order_by(Extension.number).options(
            joinedload(Extension.caller_id_number), joinedload(Extension.music_on_hold),
            joinedload(Extension.forward_extension))
    ).unique().scalars().all()


class RowForms:
    """Builds the settings form of one grid row, with what the company offers loaded once."""

    def __init__(self, company_id: int):
        self.choices = rules.CompanyChoices.load(company_id)
        self.moh = moh_choices()
        self.users = company_users()

    def form(self, extension: Extension, formdata: MultiDict | None = None) -> AdminSettingsForm:
        prefix = f"e{extension.id}"
        if formdata is None:
            formdata = MultiDict([(f"{prefix}-{k}", v) for k, v in current_values(extension).items(multi=True)])
        return AdminSettingsForm(formdata=formdata, prefix=prefix, meta={"csrf": False}, choices_=self.choices,
                                 moh_choices=self.moh, extension=extension, users=self.users)


@bp.get("/grid")
@admin_required
def grid():
    return render_template("extensions/grid.html", extensions=_grid_extensions(), columns=COLUMNS,
                           column_groups=COLUMN_GROUPS, pending={}, errors={})


@bp.get("/grid/<int:extension_id>/<column>")
@admin_required
def cell_editor(extension_id: int, column: str):
    if column not in COLUMNS_BY_KEY:
        abort(404)
    extension = get_in_company_or_404(Extension, extension_id)
    form = RowForms(extension.company_id).form(extension)
    return render_template("extensions/_grid_editor.html", extension=extension, column=COLUMNS_BY_KEY[column],
                           form=form)


def _opened_cells() -> dict[int, set[str]]:
    opened: dict[int, set[str]] = {}
    for cell in request.form.getlist("cells"):
        extension_id, _, column = cell.partition(":")
        if extension_id.isdigit() and column in COLUMNS_BY_KEY:
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
    opened = _opened_cells()
    extensions = {e.id: e for e in _grid_extensions()}
    if any(extension_id not in extensions for extension_id in opened):
        abort(404)  # a cell of another company's (or a deleted) extension
    forms = RowForms(current_user.company_id)
    pending, errors = {}, {}
    for extension_id, columns in opened.items():
        extension = extensions[extension_id]
        form = forms.form(extension, _row_formdata(extension, columns))
        pending[extension_id] = (form, columns)
        if not form.validate():
            for field, messages in form.errors.items():
                column = FIELD_COLUMN.get(field, "name")
                errors.setdefault((extension_id, column), []).extend(messages)
                columns.add(column)
        elif str(form.version.data) != str(extension.version):
            errors.setdefault((extension_id, "name"), []).append(
                _("Someone else saved this extension after you opened the grid. Reload to see their changes."))
            columns.add("name")
    if errors:
        return render_template("extensions/grid.html", extensions=list(extensions.values()), columns=COLUMNS,
                               column_groups=COLUMN_GROUPS, pending=pending, errors=errors), 422
    changed = []
    for extension_id, (form, _columns) in pending.items():
        extension = extensions[extension_id]
        had_uc_desktop = extension.uc_desktop
        rules.apply_settings(extension, form.data, admin=True)
        # No fee notice in the grid (F12.4), but the service is billed all the same.
        billing.record_uc_desktop_turned_on(had_uc_desktop, extension, current_user.id)
        changed.append(extension)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else saved one of these extensions meanwhile. Nothing was saved: reload and try again."),
              "error")
        return redirect(url_for("extensions.grid"))
    domain = current_user.company.sip_domain
    notify.directory_changed(domain, rules.sip_usernames([e.id for e in changed]))
    if changed:
        flash(_("%(n)s extension(s) saved. Make a test call to check the changes.", n=len(changed)), "success")
    return redirect(url_for("extensions.grid"))
