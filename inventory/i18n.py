"""Languages: Kyrgyz, Russian and English, chosen by URL, cookie, user or browser."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
LANGUAGE_COOKIE = "lang"

__all__ = ["LANGUAGE_NAMES", "current_language", "select_locale", "_l"]


def select_locale() -> str:
    """The language of this request: ?lang=, then the cookie, then Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in languages:
            g.language = candidate
            return candidate
    best = request.accept_languages.best_match(languages)
    g.language = best or current_app.config["DEFAULT_LANGUAGE"]
    return g.language


def current_language() -> str:
    """The language code ("ky", "ru", "en") pages and names are shown in now: the one
    `select_locale` chose for this request, the app's default outside a request."""
    if has_request_context():
        locale = get_locale()
        if locale is not None:
            return str(locale.language)
    return current_app.config.get("DEFAULT_LANGUAGE", "ru")
