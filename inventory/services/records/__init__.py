"""Create, read, update and archive the inventory's records, one module per kind.

Every operation takes a session, an Actor (inventory.services.permissions) and plain
values, raises inventory.services.errors on refusal, and leaves committing to the caller.
"""

from inventory.services.records import (
    buildings,
    contracts,
    inspections,
    lessees,
    parcels,
    payments,
)
from inventory.services.records.common import Kind  # noqa: F401
from inventory.services.records.paging import Filters, Page  # noqa: F401

#: The kinds by their name in URLs.
KINDS: dict[str, Kind] = {
    "parcels": parcels.kind,
    "buildings": buildings.kind,
    "lessees": lessees.kind,
    "contracts": contracts.kind,
    "payments": payments.kind,
    "inspections": inspections.kind,
}
