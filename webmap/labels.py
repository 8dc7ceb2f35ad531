"""Words of the public map that come from codes: parcel statuses, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Parcel status code -> label (lazy: translated when rendered, in the request's language).
STATUS_LABELS = {
    "free": _l("Free, offered for lease"),
    "leased": _l("Leased"),
    "municipal_use": _l("Used by a municipal institution"),
    "reserved": _l("Reserved"),
    "disputed": _l("Disputed"),
}


def status_label(status: str) -> str:
    """The status in the current language; an unknown code is shown as it is."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status
