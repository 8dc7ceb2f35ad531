"""The published layers: one SQL per dataset, shared by the downloads and the OGC API.

Each layer is a SELECT whose columns are the published fields plus `geom` (EPSG:4326).
This module says which fields of a public record are published; which records are
public is said by inventory.services.public.model, whose conditions every layer selects
through, and lessees are masked in SQL by inventory.services.privacy, so a private
individual's name, ИНН, contacts or documents are never read out of the database.

Field names have at most 10 characters so that every format, the Shapefile's DBF
included, carries the same names. Dates are selected as ISO `YYYY-MM-DD` text (as JSON,
CSV and the OGC API give them, comparing correctly as text); the GeoPackage and Shapefile
writers make Date fields of the fields typed "date" (inventory.services.opendata.export).
"""

from __future__ import annotations

from dataclasses import dataclass

from inventory.services.privacy import N_, public_lessee_inn_text, public_lessee_name_text
from inventory.services.public.model import (
    ACTIVE_CONTRACT_LATERAL,
    ANNUAL_RENT,
    FREE_PARCEL,
    PUBLIC_CONTRACT,
    PUBLIC_STATUS,
    VISIBLE_BUILDING,
    VISIBLE_PARCEL,
)

#: The three languages of the data dictionary.
LANGUAGES = ("ky", "ru", "en")


@dataclass(frozen=True)
class Field:
    """One published field: its name, its type (int, float, str, date) and a message id
    describing it, translated where it is shown. `record` names the field of the layer's
    record kind (`Layer.kind`) it publishes, where there is one: pages label it and name
    its codes as the office's record pages do."""

    name: str
    type: str
    description: str
    record: str | None = None


@dataclass(frozen=True)
class Layer:
    """A published dataset: its SQL, its fields and how to filter it.

    `filters` maps the public filter names (OGC property filters, e.g. `municipality`)
    to field names of the layer: only these may be filtered on. `temporal` names the
    start and end fields (ISO dates) that `datetime` queries compare with.
    """

    name: str
    title: str
    description: str
    sql: str
    fields: tuple[Field, ...]
    filters: dict[str, str]
    #: The record kind (inventory.services.records) whose fields the layer publishes.
    kind: str | None = None
    temporal: tuple[str, str] | None = None
    #: The table whose statistics estimate the size of the layer.
    table: str = "parcel"
    #: The layer's rows with only what a query can filter on (`id`, `geom`, the filter
    #: and temporal fields), without the joins that only add shown fields (the current
    #: lease of a parcel). A page is chosen and counted with it, and only the rows of the
    #: page are built with `sql`. None: `sql` serves for both.
    keys_sql: str | None = None
    #: The columns `keys_sql` has: a query filtering or sorting on any other field
    #: selects on `sql` instead.
    key_fields: tuple[str, ...] = ()
    #: The layer's rows made from rows of `keys_sql` (the relation named `{keys}`, every
    #: column of it): adds what `keys_sql` lacks (the current lease). A page that reads
    #: and sorts about a page of matches anyway is built from those rows rather than
    #: looked up again by id with `sql`. None: pages are always built with `sql`.
    keys_page_sql: str | None = None
    #: (fragment, stand-in) pairs: the layer's SQL as the planner is asked how many rows
    #: a query matches (for_planning), with each fragment it cannot estimate replaced by
    #: a column of nearly the same values that it can.
    planned_as: tuple[tuple[str, str], ...] = ()

    @property
    def filter_sql(self) -> str:
        """The SQL to select and count rows with (`keys_sql`, else `sql`)."""
        return self.keys_sql or self.sql

    def for_planning(self, sql: str) -> str:
        """`sql` (one of this layer's) with the stand-ins of `planned_as`: only to
        estimate how many rows match and by which index, never to read them."""
        for fragment, stand_in in self.planned_as:
            sql = sql.replace(fragment, stand_in)
        return sql

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


_ID = Field("id", "int", N_("Record number in the inventory (stable)"))
_MUNIC = Field("munic", "str", N_("Municipality: osh, jalal-abad or nookat"), "municipality")
_LESSEE_FIELDS = (
    Field(
        "lessee_typ",
        "str",
        N_("Lessee kind: legal_entity, individual_entrepreneur or individual"),
        "lessee_kind",
    ),
    Field(
        "lessee",
        "str",
        N_(
            "Lessee's name (an entrepreneur's trade name); empty for a private individual, "
            "who is never named"
        ),
    ),
    Field(
        "lessee_inn",
        "str",
        N_(
            "Lessee's taxpayer number (ИНН), a legal entity's only: empty for a natural "
            "person (an entrepreneur or a private individual)"
        ),
        "lessee_inn",
    ),
)

#: A parcel's current lease, beside its lessee's fields.
_CURRENT_LEASE_FIELDS = (
    Field("contract", "str", N_("Number of the current active lease contract")),
    Field("lease_end", "date", N_("End date of the current lease")),
    Field("rent_year", "float", N_("Annual rent of the current lease, som"), "annual_rent"),
)

_PARCEL_FIELDS = (
    _ID,
    _MUNIC,
    Field(
        "ident_code",
        "str",
        N_("Identification code of the parcel in the state register"),
        "ident_code",
    ),
    Field("address", "str", N_("Address"), "address"),
    Field("category", "str", N_("Land category code (Land Code)"), "land_category"),
    Field("land_use", "str", N_("Designated use code"), "designated_use"),
    Field(
        "status", "str", N_("Status: free, leased, municipal_use, reserved or disputed"), "status"
    ),
    Field("doc_area", "float", N_("Area in the documents, m²"), "documented_area"),
    Field(
        "meas_area", "float", N_("Area measured from the boundary in Kyrg-06, m²"), "measured_area"
    ),
    *_LESSEE_FIELDS,
    *_CURRENT_LEASE_FIELDS,
)

#: The current lease's fields of a parcel, read from ACTIVE_CONTRACT_LATERAL (`ac`).
_LEASE_COLUMNS = """ac.lessee_kind AS lessee_typ, ac.lessee_name AS lessee, ac.lessee_inn,
       ac.number AS contract, to_char(ac.end_date, 'YYYY-MM-DD') AS lease_end,
       ac.annual_rent::float8 AS rent_year"""

_PARCELS_SQL = """
SELECT p.id, m.slug AS munic, p.ident_code, p.address, lc.code AS category,
       u.code AS land_use, {public_status} AS status, p.documented_area::float8 AS doc_area,
       p.measured_area::float8 AS meas_area,
       {lease_columns},
       p.geom
FROM parcel p
JOIN municipality m ON m.id = p.municipality_id
LEFT JOIN land_category lc ON lc.id = p.land_category_id
LEFT JOIN land_use u ON u.id = p.designated_use_id
{active_contract}
WHERE {visible}
"""


def _parcels_sql(extra: str = "") -> str:
    # The active-contract fragment is the public map's too, so the map, the API and the
    # downloads always agree on the lessee shown.
    return _PARCELS_SQL.format(
        active_contract=ACTIVE_CONTRACT_LATERAL,
        visible=VISIBLE_PARCEL + extra,
        public_status=PUBLIC_STATUS,
        lease_columns=_LEASE_COLUMNS,
    )


def _parcel_keys_sql(extra: str = "") -> str:
    return _PARCEL_KEYS_SQL.format(visible=VISIBLE_PARCEL + extra, public_status=PUBLIC_STATUS)


# The same rows as _PARCELS_SQL with every field but the current lease's: the columns
# _PARCEL_FILTERS read and the parcel's own (address, areas) a CQL2 filter or a sortby
# may name. No current-lease lookup, which at a dense box of a national inventory was a
# third of a page's time when done for every matching parcel rather than for the page's
# (a page sorted by `meas_area` looked up the lease of every parcel in its box). Every
# parcel has its municipality (NOT NULL, a foreign key), so the LEFT JOIN keeps the same
# rows and lets the planner leave the municipality out when no filter reads it.
_PARCEL_KEYS_SQL = """
SELECT p.id, m.slug AS munic, p.ident_code, p.address, lc.code AS category,
       u.code AS land_use, {public_status} AS status,
       p.documented_area::float8 AS doc_area, p.measured_area::float8 AS meas_area, p.geom
FROM parcel p
LEFT JOIN municipality m ON m.id = p.municipality_id
LEFT JOIN land_category lc ON lc.id = p.land_category_id
LEFT JOIN land_use u ON u.id = p.designated_use_id
WHERE {visible}
"""


# _PARCELS_SQL's rows from rows of _PARCEL_KEYS_SQL (`{keys}`): the current lease added.
_PARCEL_KEYS_PAGE_SQL = f"""
SELECT p.id, p.munic, p.ident_code, p.address, p.category, p.land_use, p.status,
       p.doc_area, p.meas_area,
       {_LEASE_COLUMNS},
       p.geom
FROM {{keys}} p
{ACTIVE_CONTRACT_LATERAL}
"""


_BUILDINGS_SQL = f"""
SELECT b.id, m.slug AS munic, b.inventory_number AS inv_number, b.kind, b.name,
       b.address, p.ident_code AS parcel, b.floor_area::float8 AS floor_area,
       b.floors, b.year_built, b.geom
FROM building b
JOIN municipality m ON m.id = b.municipality_id
LEFT JOIN parcel p ON p.id = b.parcel_id AND {VISIBLE_PARCEL}
WHERE {VISIBLE_BUILDING}
"""

_ZONES_SQL = """
SELECT z.id, m.slug AS munic, z.code, z.name, z.kz::float8 AS kz,
       to_char(z.valid_from, 'YYYY-MM-DD') AS valid_from,
       to_char(z.valid_to, 'YYYY-MM-DD') AS valid_to, z.is_demo::int AS is_demo, z.geom
FROM economic_zone z
JOIN municipality m ON m.id = z.municipality_id
"""

# The objects' geometry is their union, so a building on its own leased parcel does not
# make an overlapping (invalid) MultiPolygon. Drafts are not public: they are not yet
# decided.
_CONTRACTS_SQL = f"""
SELECT c.id, m.slug AS munic, c.number, to_char(c.signed_on, 'YYYY-MM-DD') AS signed_on,
       to_char(c.start_date, 'YYYY-MM-DD') AS start_date,
       to_char(c.end_date, 'YYYY-MM-DD') AS end_date, c.status, c.basis, c.basis_ref,
       u.code AS land_use, c.rent_amount::float8 AS rent_amt, c.rent_period AS rent_per,
       ({ANNUAL_RENT})::float8 AS rent_year,
       c.leased_area::float8 AS area,
       l.kind AS lessee_typ, {public_lessee_name_text("l")} AS lessee,
       {public_lessee_inn_text("l")} AS lessee_inn,
       o.objects, o.geom
FROM lease_contract c
JOIN municipality m ON m.id = c.municipality_id
JOIN lessee l ON l.id = c.lessee_id
LEFT JOIN land_use u ON u.id = c.contracted_use_id
LEFT JOIN LATERAL (
    SELECT string_agg(CASE WHEN co.parcel_id IS NOT NULL THEN 'parcel:' || p.ident_code
                           ELSE 'building:' || b.inventory_number END, ';'
                      ORDER BY co.id) AS objects,
           ST_Multi(ST_Union(coalesce(p.geom, b.geom))) AS geom
    FROM contract_object co
    LEFT JOIN parcel p ON p.id = co.parcel_id
    LEFT JOIN building b ON b.id = co.building_id
    WHERE co.contract_id = c.id
) o ON true
WHERE {PUBLIC_CONTRACT}
"""

_PARCEL_KEY_FIELDS = (
    "id",
    "munic",
    "ident_code",
    "address",
    "category",
    "land_use",
    "status",
    "doc_area",
    "meas_area",
    "geom",
)

#: The public status is a CASE over the current lease, which the planner cannot estimate:
#: it took the 600,000 leased parcels of a national inventory for 5,000, counted them
#: exactly for `numberMatched` and read every one (a second a page). The stored status,
#: which it estimates from its statistics, differs from it only for a status lagging
#: behind its contracts (a free parcel under an active lease, a data-quality flag).
_PARCEL_PLANNED_AS = ((PUBLIC_STATUS, "p.status"),)

_PARCEL_FILTERS = {
    "municipality": "munic",
    "status": "status",
    "designated_use": "land_use",
    "land_category": "category",
    "ident_code": "ident_code",
}

PARCELS = Layer(
    name="parcels",
    kind="parcels",
    title=N_("Land parcels"),
    description=N_("Municipal land parcels with their status, use and current lease"),
    sql=_parcels_sql(),
    fields=_PARCEL_FIELDS,
    filters=_PARCEL_FILTERS,
    table="parcel",
    keys_sql=_parcel_keys_sql(),
    key_fields=_PARCEL_KEY_FIELDS,
    keys_page_sql=_PARCEL_KEYS_PAGE_SQL,
    planned_as=_PARCEL_PLANNED_AS,
)

FREE_PLOTS = Layer(
    name="free-plots",
    kind="parcels",
    title=N_("Plots free to lease"),
    description=N_("Municipal land parcels free and offered for lease"),
    sql=_parcels_sql(f" AND {FREE_PARCEL}"),
    # A free plot has no lease: its fields would always be empty (and GDAL, typing a
    # field by the first features, made them text).
    fields=tuple(f for f in _PARCEL_FIELDS if f not in (*_LESSEE_FIELDS, *_CURRENT_LEASE_FIELDS)),
    filters=_PARCEL_FILTERS,
    table="parcel",
    keys_sql=_parcel_keys_sql(f" AND {FREE_PARCEL}"),
    key_fields=_PARCEL_KEY_FIELDS,
    keys_page_sql=_PARCEL_KEYS_PAGE_SQL,
    planned_as=_PARCEL_PLANNED_AS,
)

BUILDINGS = Layer(
    name="buildings",
    kind="buildings",
    title=N_("Buildings and premises"),
    description=N_("Municipal buildings and premises"),
    sql=_BUILDINGS_SQL,
    fields=(
        _ID,
        _MUNIC,
        Field("inv_number", "str", N_("Inventory number"), "inventory_number"),
        Field("kind", "str", N_("Kind: building or premise"), "kind"),
        Field("name", "str", N_("Name")),
        Field("address", "str", N_("Address")),
        Field("parcel", "str", N_("Identification code of the parcel it stands on")),
        Field("floor_area", "float", N_("Floor area, m²"), "floor_area"),
        Field("floors", "int", N_("Number of floors"), "floors"),
        Field("year_built", "int", N_("Year built"), "year_built"),
    ),
    filters={"municipality": "munic", "kind": "kind", "parcel": "parcel"},
    table="building",
)

ZONES = Layer(
    name="zones",
    title=N_("Economic-planning zones"),
    description=N_("Economic-planning zones with their rent coefficient Kz"),
    sql=_ZONES_SQL,
    fields=(
        _ID,
        _MUNIC,
        Field("code", "str", N_("Zone code")),
        Field("name", "str", N_("Name")),
        Field("kz", "float", N_("Zone coefficient Kz of the rent norm")),
        Field("valid_from", "date", N_("Valid from")),
        Field("valid_to", "date", N_("Valid until (empty: still valid)")),
        Field("is_demo", "int", N_("1 when Kz is a demo value, not one adopted by the council")),
    ),
    filters={"municipality": "munic", "code": "code"},
    temporal=("valid_from", "valid_to"),
    table="economic_zone",
)

CONTRACTS = Layer(
    name="contracts",
    kind="contracts",
    title=N_("Lease contracts"),
    description=N_("Lease contracts (not drafts), with the geometry of the leased objects"),
    sql=_CONTRACTS_SQL,
    fields=(
        _ID,
        _MUNIC,
        Field("number", "str", N_("Contract number"), "number"),
        Field("signed_on", "date", N_("Date signed"), "signed_on"),
        Field("start_date", "date", N_("Start of the term"), "start_date"),
        Field("end_date", "date", N_("End of the term"), "end_date"),
        Field("status", "str", N_("Status: active, expired, terminated or superseded"), "status"),
        Field("basis", "str", N_("Basis: auction (e-auction) or decision"), "basis"),
        Field("basis_ref", "str", N_("Number of the auction or decision"), "basis_ref"),
        Field("land_use", "str", N_("Contracted use code"), "contracted_use"),
        Field("rent_amt", "float", N_("Rent per period, som"), "rent_amount"),
        Field("rent_per", "str", N_("Rent period: year or month"), "rent_period"),
        Field("rent_year", "float", N_("Annual rent, som"), "annual_rent"),
        Field("area", "float", N_("Leased area, m²"), "leased_area"),
        *_LESSEE_FIELDS,
        Field(
            "objects",
            "str",
            N_("Leased objects: parcel:<code> or building:<inventory number>, separated by ;"),
            "objects",
        ),
    ),
    filters={
        "municipality": "munic",
        "status": "status",
        "basis": "basis",
        "contracted_use": "land_use",
        "number": "number",
    },
    temporal=("start_date", "end_date"),
    table="lease_contract",
)

#: Every layer by its name (the OGC collection id and the download's file name).
LAYERS: dict[str, Layer] = {
    layer.name: layer for layer in (PARCELS, BUILDINGS, ZONES, FREE_PLOTS, CONTRACTS)
}

#: The layers offered as downloads (free plots are a filter of parcels, not a file).
DOWNLOADS = ("parcels", "buildings", "zones", "contracts")
