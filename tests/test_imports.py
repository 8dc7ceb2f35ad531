"""Bulk import: real files made here, errors by row and field, all or nothing."""

import json
from decimal import Decimal

import pytest
import sqlalchemy as sa
from shapely.geometry import Polygon, mapping

from inventory import models as m
from inventory.services.imports import run_import
from inventory.services.imports.values import parse_date, parse_decimal
from tests import factories as f


def _geojson(path, features):
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": props,
                        "geometry": mapping(geom) if geom is not None else None,
                    }
                    for props, geom in features
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def _parcel(code, n, **props):
    return (
        {
            "municipality": "osh",
            "ident_code": code,
            "address": f"ул. Навои, {n}",
            "land_category": "settlements",
            "designated_use": "greening",
            "status": "free",
            "documented_area": "900",
            **props,
        },
        f.square(72.80 + n * 0.001, 40.52, metres=30),
    )


@pytest.fixture()
def osh(db_session):
    return f.municipality(db_session, "osh")


def _count(session, model):
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("12 500,00", Decimal("12500.00")),
        ("12500.5", Decimal("12500.5")),
        ("12,500.00", Decimal("12500.00")),
        ("12.500,75", Decimal("12500.75")),
        ("1\u00a0000", Decimal("1000")),
        (1500, Decimal("1500")),
    ],
)
def test_amounts_are_read_as_officers_write_them(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["01.02.2024", "2024-02-01", "01/02/2024"])
def test_dates_are_read_as_officers_write_them(raw):
    assert parse_date(raw).isoformat() == "2024-02-01"


def test_parcels_from_geojson_are_created_with_measured_area(db_session, osh, tmp_path):
    path = _geojson(
        tmp_path / "p.geojson", [_parcel("5-08-01-0001-0001", 1), _parcel("5-08-01-0001-0002", 2)]
    )
    report = run_import(db_session, "parcels", path)
    assert report.ok, report.problems
    assert (report.created, report.updated) == (2, 0)
    areas = db_session.scalars(sa.select(m.Parcel.measured_area)).all()
    assert all(880 < float(a) < 920 for a in areas)


def test_reimporting_the_same_file_updates_instead_of_duplicating(db_session, osh, tmp_path):
    path = _geojson(tmp_path / "p.geojson", [_parcel("5-08-01-0001-0001", 1)])
    run_import(db_session, "parcels", path)
    again = run_import(db_session, "parcels", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = _geojson(
        tmp_path / "p2.geojson", [_parcel("5-08-01-0001-0001", 1, address="ул. Навои, 99")]
    )
    third = run_import(db_session, "parcels", changed)
    assert (third.created, third.updated) == (0, 1)
    assert _count(db_session, m.Parcel) == 1
    parcel = db_session.scalar(sa.select(m.Parcel))
    assert parcel.address == "ул. Навои, 99"
    assert parcel.version == 2


def test_a_file_with_one_bad_row_writes_nothing_and_names_row_and_field(db_session, osh, tmp_path):
    path = _geojson(
        tmp_path / "p.geojson",
        [
            _parcel("5-08-01-0001-0001", 1),
            _parcel("5-08-01-0001-0002", 2, designated_use="casino"),
            _parcel("5-08-01-0001-0003", 3, documented_area="много"),
        ],
    )
    report = run_import(db_session, "parcels", path)
    assert not report.ok
    problems = {(p.row, p.field) for p in report.errors}
    assert problems == {(2, "designated_use"), (3, "documented_area")}
    assert "casino" in str(report.errors[0]) or "casino" in str(report.errors[1])
    assert _count(db_session, m.Parcel) == 0


def test_a_dry_run_counts_exactly_and_keeps_nothing(db_session, osh, tmp_path):
    path = _geojson(tmp_path / "p.geojson", [_parcel("5-08-01-0001-0001", 1)])
    report = run_import(db_session, "parcels", path, dry_run=True)
    assert report.ok and report.created == 1
    assert _count(db_session, m.Parcel) == 0


def test_an_invalid_polygon_is_kept_aside_with_a_warning(db_session, osh, tmp_path):
    bowtie = Polygon([(72.80, 40.50), (72.801, 40.501), (72.801, 40.50), (72.80, 40.501)])
    props, _ = _parcel("5-08-01-0001-0009", 9)
    report = run_import(db_session, "parcels", _geojson(tmp_path / "p.geojson", [(props, bowtie)]))
    assert report.ok
    assert [(w.row, w.field) for w in report.warnings] == [(1, "geometry")]
    parcel = db_session.scalar(sa.select(m.Parcel))
    assert parcel.geom is None and parcel.geom_rejected is not None
    assert "Self-intersection" in parcel.geom_problem


def test_a_point_where_a_parcel_polygon_belongs_is_an_error(db_session, osh, tmp_path):
    from shapely.geometry import Point

    props, _ = _parcel("5-08-01-0001-0001", 1)
    report = run_import(
        db_session, "parcels", _geojson(tmp_path / "p.geojson", [(props, Point(72.8, 40.5))])
    )
    assert [(p.row, p.field) for p in report.errors] == [(1, "geometry")]
    assert "Point" in report.errors[0].message


def test_each_kind_of_shape_in_one_file_is_stored_as_the_register_needs(db_session, osh, tmp_path):
    # A whole file's geometry is checked at once (geometry.as_multipolygons): every
    # shape an officer's file can hold must still come out as one at a time did.
    from shapely import force_3d
    from shapely.geometry import GeometryCollection, MultiPolygon

    lot = f.square(72.81, 40.52, metres=30)
    bowtie = Polygon([(72.80, 40.50), (72.801, 40.501), (72.801, 40.50), (72.80, 40.501)])
    shapes = [
        lot,
        MultiPolygon([f.square(72.812, 40.52), f.square(72.813, 40.52)]),
        force_3d(f.square(72.814, 40.52)),
        GeometryCollection([f.square(72.815, 40.52)]),
        bowtie,
        None,
        Polygon(),
    ]
    rows = [(_parcel(f"5-08-01-0002-{n:04d}", n)[0], shape) for n, shape in enumerate(shapes)]
    report = run_import(db_session, "parcels", _geojson(tmp_path / "p.geojson", rows))
    assert report.ok, report.problems
    assert [(w.row, w.field) for w in report.warnings] == [(5, "geometry")]
    stored = dict(
        db_session.execute(
            sa.text(
                "SELECT ident_code, coalesce(GeometryType(geom) || ' ' || ST_NDims(geom) || 'D', "
                "'rejected ' || GeometryType(geom_rejected), '-') FROM parcel"
            )
        ).all()
    )
    kinds = [stored[f"5-08-01-0002-{n:04d}"] for n in range(len(shapes))]
    assert kinds == ["MULTIPOLYGON 2D"] * 4 + ["rejected MULTIPOLYGON", "-", "-"]


def test_values_too_long_or_too_large_for_the_register_are_named_by_row_and_field(
    db_session, osh, tmp_path
):
    # PostgreSQL refuses such a value for the whole file without saying where it is.
    props, shape = _parcel("5-08-01-0003-0001", 1)
    rows = [
        (props, shape),
        ({**props, "ident_code": "5-08-01-0003-" + "9" * 40}, shape),
        ({**props, "ident_code": "5-08-01-0003-0003", "address": "ул. " + "а" * 300}, shape),
        ({**props, "ident_code": "5-08-01-0003-0004", "documented_area": "1e15"}, shape),
    ]
    report = run_import(db_session, "parcels", _geojson(tmp_path / "p.geojson", rows))
    assert [(p.row, p.field) for p in report.errors] == [
        (2, "ident_code"),
        (3, "address"),
        (4, "documented_area"),
    ]
    assert report.errors[0].message == "longer than 40 characters (53)"
    assert "at most 12 digits before the decimal point" in report.errors[2].message
    assert _count(db_session, m.Parcel) == 0


def test_an_integer_beyond_its_column_is_named_by_row_and_field(db_session, osh, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "municipality,inventory_number,floors,year_built\n"
        "osh,ИНВ-1,3,1975\nosh,ИНВ-2,99999999999,1975\n",
        encoding="utf-8",
    )
    report = run_import(db_session, "buildings", path)
    assert [(p.row, p.field, p.message) for p in report.errors] == [
        (2, "floors", "99999999999 is out of range")
    ]


def test_duplicate_codes_in_one_file_are_reported(db_session, osh, tmp_path):
    path = _geojson(
        tmp_path / "p.geojson", [_parcel("5-08-01-0001-0001", 1), _parcel("5-08-01-0001-0001", 2)]
    )
    report = run_import(db_session, "parcels", path)
    assert [(p.row, p.field) for p in report.errors] == [(2, "ident_code")]


def test_an_officer_import_refuses_rows_of_another_municipality(db_session, osh, tmp_path):
    f.municipality(db_session, "jalal-abad", centre=(73.0, 40.93))
    path = _geojson(
        tmp_path / "p.geojson", [_parcel("5-08-01-0001-0001", 1, municipality="jalal-abad")]
    )
    report = run_import(db_session, "parcels", path, municipality="osh")
    assert [(p.row, p.field) for p in report.errors] == [(1, "municipality")]


def test_contracts_csv_with_russian_headers_builds_objects_and_schedule(db_session, osh, tmp_path):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0002-0001")
    lessee = f.lessee(db_session, osh, external_key="L-1")
    path = tmp_path / "contracts.csv"
    path.write_text(
        "Номер договора;Код арендатора;Дата начала;Дата окончания;Арендная плата;"
        "Период;Основание;Статус;Объекты;Цель аренды\n"
        f'ОШ-2025-0001;{lessee.external_key};15.01.2025;14.01.2026;"120 000,00";year;'
        f"auction;active;parcel:{parcel.ident_code};trade\n",
        encoding="utf-8",
    )
    report = run_import(db_session, "contracts", path, municipality="osh")
    assert report.ok, report.problems
    contract = db_session.scalar(sa.select(m.LeaseContract))
    assert contract.rent_amount == Decimal("120000.00")
    assert [o.parcel_id for o in contract.objects] == [parcel.id]
    dues = [s.due_date.isoformat() for s in contract.schedule]
    # The 10th of January 2025 is before the start: the first instalment is February's.
    assert dues[0] == "2025-02-10" and dues[-1] == "2026-01-10" and len(dues) == 12
    assert {s.amount for s in contract.schedule} == {Decimal("10000.00")}


def test_payments_are_not_counted_twice_on_reimport(db_session, osh, tmp_path):
    contract = f.contract(db_session, f.parcel(db_session, osh))
    path = tmp_path / "payments.csv"
    path.write_text(
        "contract_number,paid_on,amount,reference\n"
        f'{contract.number},10.02.2025,"10 000,00",PP-1\n'
        f"{contract.number},10.03.2025,10000,PP-2\n",
        encoding="utf-8",
    )
    first = run_import(db_session, "payments", path, municipality="osh")
    second = run_import(db_session, "payments", path, municipality="osh")
    assert (first.created, second.created, second.unchanged) == (2, 0, 2)


def test_reimporting_contracts_rebuilds_their_schedule_without_duplicates(
    db_session, osh, tmp_path
):
    parcel = f.parcel(db_session, osh, ident_code="5-08-01-0002-0002")
    lessee = f.lessee(db_session, osh, external_key="L-2")
    path = tmp_path / "contracts.csv"
    path.write_text(
        "number,lessee_key,start_date,end_date,rent_amount,rent_period,basis,status,objects\n"
        f"ОШ-2025-0002,{lessee.external_key},01.01.2025,31.12.2025,12000,year,decision,"
        f"active,parcel:{parcel.ident_code}\n",
        encoding="utf-8",
    )
    assert run_import(db_session, "contracts", path, municipality="osh").ok
    again = run_import(db_session, "contracts", path, municipality="osh")
    assert again.ok, again.problems
    contract = db_session.scalar(sa.select(m.LeaseContract))
    db_session.refresh(contract)
    assert len(contract.schedule) == 12
