from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import format_date, get_locale, ngettext
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from flask_login import current_user

from app.blueprints.forms_common import ActionForm
from app.blueprints.guards import admin_required
from app.blueprints.numbers import bp
from app.blueprints.numbers.forms import (WEEKDAYS, ExceptionForm, GreetingForm, HolidayForm, HoursForm, LabelForm,
                                          SimulateForm)
from app.blueprints.tenancy import get_in_company_or_404
from app.flask_extensions import db
from app.models.company import PhoneNumber
from app.models.schedule import ClosedAction, OpenAction, RestrictionKind
from app.blueprints.restrictions.forms import RESTRICTION_MATCHES
from app.services import companies, extensions, greetings, holiday_presets, phone_numbers, restrictions, schedules
from app.services.calls import inbound, voicemail
from app.services.holiday_presets import REGIONS
from app.telephony import dial_codes


def now() -> datetime:
    return datetime.now(timezone.utc)


def _statuses(numbers: list[PhoneNumber]) -> dict:
    """Number id -> its status now, in two queries whatever the number of numbers."""
    instant, time_zone = now(), current_user.company.time_zone
    return {number_id: hours.status_at(time_zone, instant)
            for number_id, hours in schedules.company_hours(current_user.company_id, numbers).items()}


@bp.get("/")
@admin_required
def index():
    numbers = companies.numbers(current_user.company_id)
    return render_template("numbers/index.html", numbers=numbers, company=current_user.company,
                           statuses=_statuses(numbers), action_form=ActionForm(),
                           exception_code=dial_codes.EXCEPTION_MESSAGE)


def _day_name(month: int, day: int) -> str:
    """25 décembre / December 25: a date with no year."""
    return format_skeleton("MMMMd", date(schedules.LEAP_YEAR, month, day), locale=get_locale())


def _month_name(month: int) -> str:
    return babel_format_date(date(schedules.LEAP_YEAR, month, 1), "LLLL", locale=get_locale()).capitalize()


def _rule_text(rule) -> str:
    kinds = {RestrictionKind.BLOCK: _("Block"), RestrictionKind.ALLOW: _("Allow")}
    return f"{kinds[rule.kind]} – {RESTRICTION_MATCHES[rule.match]} {rule.digits}"


def _open_text(number: PhoneNumber) -> str:
    if number.open_action is OpenAction.EXTENSION and number.open_extension:
        return _("extension %(number)s rings.", number=number.open_extension)
    return _("the company greeting plays; the caller dials an extension, 8500 or 0.")


def _closed_text(number: PhoneNumber) -> str:
    if number.closed_action is ClosedAction.VOICEMAIL and number.closed_box:
        return _("the closed greeting, then voicemail box %(box)s.", box=number.closed_box)
    return _("the closed greeting, then the call ends.")


def _page(number: PhoneNumber, status: int = 200, **forms):
    company = current_user.company
    simulate = forms.pop("simulate", None) or SimulateForm(request.args, meta={"csrf": False})
    hours = schedules.hours(number)  # the badge's and the simulator's
    path = None
    if request.args and simulate.validate():
        instant = datetime.combine(simulate.day.data, simulate.time.data, tzinfo=ZoneInfo(company.time_zone))
        caller = phone_numbers.presented_digits(simulate.caller.data or "")
        path = inbound.call_path(restrictions.rules_for(company.id), hours, company.time_zone, caller, instant)
    holiday = forms.pop("holiday", None) or HolidayForm(prefix="holiday")
    holiday.region.choices = [(code, code) for code in REGIONS]
    context = dict(
        number=number, company=company, status=hours.status_at(company.time_zone, now()), week=schedules.week(number),
        exceptions=schedules.exceptions(number), weekdays=WEEKDAYS,
        label_form=forms.pop("label", None) or LabelForm(obj=number),
        exception_form=forms.pop("exception", None) or ExceptionForm(prefix="exception"), holiday_form=holiday,
        greeting_form=forms.pop("greeting", None) or GreetingForm(prefix="greeting"), action_form=ActionForm(),
        simulate=simulate, path=path, months=schedules.calendar_months(),
        taken={f"{m:02d}-{d:02d}" for m, d in schedules.taken_dates(number)},
        picked=set(request.form.getlist("days")), presets=holiday_presets,
        boxes=dict(voicemail.voicemail_boxes(company.id)),
        format_ranges=schedules.format_ranges, OpenAction=OpenAction, ClosedAction=ClosedAction,
        exception_hours=lambda e: schedules.format_ranges((r.start_minute, r.end_minute) for r in e.ranges),
        locale=str(get_locale().language), day_name=_day_name, month_name=_month_name,
        full_date=lambda day: format_date(day, "long"), rule_text=_rule_text,
        open_text=_open_text(number), closed_text=_closed_text(number), **forms)
    return render_template("numbers/edit.html", **context), status


@bp.route("/<int:number_id>", methods=["GET", "POST"])
@admin_required
def edit(number_id: int):
    """The number's behaviour; a POST saves its label (the other forms post to their own URLs)."""
    number = get_in_company_or_404(PhoneNumber, number_id)
    if request.method == "GET":
        return _page(number)
    form = LabelForm()
    if form.validate_on_submit():
        companies.relabel_number(number, form.label.data or "")
        db.session.commit()
        flash(_("Number %(number)s saved.", number=number.national), "success")
        return redirect(url_for("numbers.edit", number_id=number.id))
    return _page(number, 422, label=form)


def _extension_choices() -> list[tuple[str, str]]:
    return [(e.number, f"{e.number} – {e.name}" if e.name else e.number)
            for e in extensions.all_of_company(current_user.company_id)]


@bp.route("/<int:number_id>/hours", methods=["GET", "POST"])
@admin_required
def hours(number_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    form = HoursForm()
    form.set_choices(_extension_choices(), voicemail.voicemail_boxes(current_user.company_id))
    if not form.is_submitted():
        week = schedules.week(number)
        form.hours_on.data = "1" if number.hours_on else "0"
        for d, field in enumerate(form.day_fields()):
            field.data = schedules.format_ranges(week[d])
        form.open_action.data = number.open_action.value
        form.open_extension.data = number.open_extension or ""
        form.operator_extension.data = number.operator_extension or ""
        form.closed_action.data = number.closed_action.value
        form.closed_box.data = number.closed_box or ""
    if form.validate_on_submit():
        schedules.set_week(number, form.hours_on.data == "1", {d: f.ranges for d, f in enumerate(form.day_fields())})
        schedules.set_destinations(number, OpenAction(form.open_action.data), form.open_extension.data,
                                   form.operator_extension.data, ClosedAction(form.closed_action.data),
                                   form.closed_box.data)
        db.session.commit()
        flash(_("Number %(number)s saved. Before a holiday, call it to check what callers will hear.",
                number=number.national), "success")
        return redirect(url_for("numbers.edit", number_id=number.id))
    return render_template("numbers/hours.html", number=number, form=form), 422 if form.is_submitted() else 200


@bp.post("/<int:number_id>/exceptions")
@admin_required
def add_exceptions(number_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    form = ExceptionForm(prefix="exception")
    if form.validate_on_submit():
        dates, problem, texts = schedules.parse_days(number, request.form.getlist("days"))
        if problem is None:
            closed = [] if form.all_day.data == "1" else form.hours.ranges
            schedules.add_exceptions(number, dates, closed)
            db.session.commit()
            flash(ngettext("%(num)d exception added. Before the date, call the number to check what callers will "
                           "hear.", "%(num)d exceptions added. Before those dates, call the number to check what "
                           "callers will hear.", len(dates)), "success")
            return redirect(url_for("numbers.edit", number_id=number.id, _anchor="exceptions"))
        form.form_errors.append({
            "none": _("Pick at least one day in the calendar."),
            "invalid": _("These dates do not exist: %(dates)s.", dates=", ".join(texts)),
            "taken": _("An exception already exists for this date: %(dates)s.", dates=", ".join(texts)),
        }[problem])
    return _page(number, 422, exception=form)


@bp.post("/<int:number_id>/exceptions/<int:exception_id>/delete")
@admin_required
def delete_exception(number_id: int, exception_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    exception = schedules.get_exception(number, exception_id)
    if exception is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    schedules.remove_exception(exception)
    db.session.commit()
    flash(_("Exception removed."), "success")
    return redirect(url_for("numbers.edit", number_id=number.id, _anchor="exceptions"))


@bp.post("/<int:number_id>/holidays")
@admin_required
def add_holidays(number_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    form = HolidayForm(prefix="holiday")
    form.region.choices = [(code, code) for code in REGIONS]
    if not form.validate_on_submit():
        return _page(number, 422, holiday=form)
    today = now().astimezone(ZoneInfo(current_user.company.time_zone)).date()
    added, skipped = holiday_presets.add_region(number, form.region.data, today)
    db.session.commit()
    message = ngettext("%(num)d statutory holiday added.", "%(num)d statutory holidays added.", len(added))
    if skipped:
        message += " " + ngettext("%(num)d date already had an exception: kept as it was.",
                                  "%(num)d dates already had an exception: kept as they were.", len(skipped))
    flash(message, "success")
    return redirect(url_for("numbers.edit", number_id=number.id, _anchor="exceptions"))


@bp.post("/<int:number_id>/greetings")
@admin_required
def upload_greeting(number_id: int):
    number = get_in_company_or_404(PhoneNumber, number_id)
    form = GreetingForm(prefix="greeting")
    if form.validate_on_submit():
        upload = request.files.get(form.audio.name)
        try:
            problem = greetings.save(number, form.which.data, upload.stream if upload else None,
                                     current_app.config["STORAGE_DIR"])
        finally:
            if upload:
                upload.close()  # a large upload is a temporary file: gone now, not at garbage collection
        if problem is None:
            db.session.commit()
            flash(_("Greeting saved: callers hear it from the next call."), "success")
            return redirect(url_for("numbers.edit", number_id=number.id, _anchor="greetings"))
        form.audio.errors = [greetings.PROBLEMS[problem]]
    return _page(number, 422, greeting=form)


@bp.post("/<int:number_id>/greetings/<which>/reset")
@admin_required
def reset_greeting(number_id: int, which: str):
    number = get_in_company_or_404(PhoneNumber, number_id)
    if which not in ("open", "closed") or not ActionForm().validate_on_submit():
        abort(400)
    greetings.reset(number, which)
    db.session.commit()
    flash(_("The system greeting plays again from the next call."), "success")
    return redirect(url_for("numbers.edit", number_id=number.id, _anchor="greetings"))


@bp.post("/exception-password")
@admin_required
def reset_exception_password():
    if not ActionForm().validate_on_submit():
        abort(400)
    schedules.reset_exception_password(current_user.company)
    db.session.commit()
    flash(_("A new exception-message password is set: the old one no longer works."), "success")
    return redirect(url_for("numbers.index", _anchor="exception-message"))
