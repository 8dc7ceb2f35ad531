"""Languages: Kyrgyz, Russian and English, chosen by URL, cookie, user or browser."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l

LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
LANGUAGE_COOKIE = "lang"

__all__ = ["LANGUAGE_NAMES", "select_locale", "_l"]


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
