"""Which language and conventions a page is shown in, and how it writes a moment.

Pages and mails do not follow the same rule. A page is for whoever is at the
browser: the language chosen with the header's button in this session wins,
then the person's profile language, the company's, the browser's. A mail is
for its recipient and is written in their profile language (services.mail
forces it), so a click on the header button never changes the language of
someone's recovery or welcome mail; the profile language changes only in
Account settings.
"""
from babel import Locale, localedata
from babel.dates import get_datetime_format
from flask import has_request_context, request, session
from flask_babel import format_date, format_time, get_locale
from flask_login import current_user

LANGUAGES = ("fr", "en")
DEFAULT_REGION = "CA"  # the portal's companies are North American, most of them in Canada


def page_language() -> str:
    if session.get("language") in LANGUAGES:
        return session["language"]
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    company = getattr(current_user, "company", None) if current_user.is_authenticated else None
    if company is not None and company.language in LANGUAGES:
        return company.language
    return request.accept_languages.best_match(LANGUAGES) or "fr"


def _region(language: str) -> str:
    """The browser's region for this language (en-GB → GB), else Canada's conventions."""
    for value, _quality in request.accept_languages:
        code, _, region = value.replace("_", "-").partition("-")
        if code.lower() == language and region.isalpha() and len(region) == 2 \
                and localedata.exists(f"{language}_{region.upper()}"):
            return region.upper()
    return DEFAULT_REGION


def select_locale() -> str:
    """The catalog is the language's (fr_CA finds fr); the region sets date and number formats."""
    if not has_request_context():
        return f"fr_{DEFAULT_REGION}"
    language = page_language()
    return f"{language}_{_region(language)}"


def select_timezone() -> str:
    company = getattr(current_user, "company", None) if current_user.is_authenticated else None
    return company.time_zone if company is not None else "America/Toronto"


def format_moment(moment) -> str:
    """A date and time no reader can misread: month in letters, short time, in the page's
    locale and the company's time zone ("Dec 1, 2026, 2:45 a.m.", "1 déc. 2026, 02 h 45")."""
    locale: Locale = get_locale()
    return get_datetime_format("medium", locale=locale).format(
        format_time(moment, "short"), format_date(moment, "medium"))
