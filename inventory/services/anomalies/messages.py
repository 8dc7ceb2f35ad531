"""Each flag's sentence in the reader's language, made from the evidence its rule recorded.

A scan stores every flag's sentence in English (`AnomalyFlag.message`: the CLI, logs and
the last resort), rendered in SQL from the rule's message template (rules/sentences.py).
Pages, the API, exports and the public card show `describe()` instead: the same template,
translated, filled from the same evidence, so the same flag reads in Kyrgyz in Osh and in
Russian in Jalal-Abad, with the same numbers. When a flag's evidence lacks a value the
template needs (a flag from an older rule version), the stored sentence is shown. Codes
(uses, statuses) are told by their names, numbers and dates as the reader's language
writes them; the stored English sentence keeps the codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import has_request_context
from flask_babel import get_locale, gettext

from inventory.services.anomalies.rules import RULES


def describe(rule: str, evidence: Mapping[str, Any] | None, fallback: str) -> str:
    """The flag's sentence in the current language (Flask-Babel's locale; English outside
    a request), or `fallback` when the rule is unknown or its evidence incomplete."""
    found = RULES.get(rule)
    if found is None or not evidence:
        return fallback
    try:
        return found.message.text(evidence, gettext, _language(), _namer())
    except (KeyError, IndexError, TypeError, ValueError):
        return fallback


#: How a request's page names codes and writes numbers and dates: set by the web layer
#: (inventory.web.formatting, which reads the reference tables of the request's session);
#: None outside an app, where values stay as the evidence has them.
REQUEST_NAMER: Callable[[str, Any], Any] | None = None


def _namer() -> Callable[[str, Any], Any]:
    if REQUEST_NAMER is None or not has_request_context():
        return lambda field, value: value
    return REQUEST_NAMER


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"
