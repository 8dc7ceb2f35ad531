"""Facts for the "about the data" page: how fresh the published inventory is, and how big."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.public.model import VISIBLE_PARCEL

#: The tables whose rows the public outputs are made of. Users and audit rows are not
#: published, so their changes do not make the open data "newer".
PUBLISHED_TABLES = (
    "parcel",
    "building",
    "lessee",
    "lease_contract",
    "payment",
    "inspection",
    "economic_zone",
    "municipality",
)

# The names above are constants of this module, never input: each is one max() that
# PostgreSQL answers from the table in a single scan.
_LAST_UPDATE_SQL = sa.text(
    "SELECT greatest({}) AS last_update, {} AS parcels".format(
        ", ".join(f"(SELECT max(updated_at) FROM {table})" for table in PUBLISHED_TABLES),
        f"(SELECT count(*) FROM parcel p WHERE {VISIBLE_PARCEL})",
    )
)


@dataclass(frozen=True)
class DataSummary:
    #: When anything published last changed; None for an empty inventory.
    last_update: dt.datetime | None
    parcels: int


def data_summary(session: so.Session) -> DataSummary:
    """The latest `updated_at` over the published tables, and the count of visible parcels."""
    row = session.execute(_LAST_UPDATE_SQL).one()
    return DataSummary(last_update=row.last_update, parcels=int(row.parcels))
