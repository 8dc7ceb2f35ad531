"""Words of the public map that come from codes: parcel statuses, in the reader's language.

The words themselves belong to the parcel's descriptor
(inventory.services.records.parcels), so the office and the public map say the same.
"""

from __future__ import annotations

from inventory.services.records.parcels import STATUS_LABELS

__all__ = ["STATUS_LABELS", "status_label"]


def status_label(status: str) -> str:
    """The status in the current language; an unknown code is shown as it is."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status
