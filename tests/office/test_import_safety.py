"""Real files that would have gone wrong: no .prj, a wrong coordinate system chosen,
coordinates that cannot be transformed, an invalid polygon over a valid one, a code of
another pattern, a .cpg that lies about the encoding, and the flags of what an import
wrote; each through the API, as offices' scripts send them."""

from __future__ import annotations

import html
import json
import zipfile

import pytest
import sqlalchemy as sa

from inventory import models as m
from tests.office import files

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")


def _post(client, path, kind="parcels", **form):
    return client.post(
        "/api/v1/imports",
        data={"file": files.upload(path), "kind": kind, **form},
        content_type="multipart/form-data",
    )


def _wizard_step(client, path, language, **form):
    """Upload `path` to the import wizard as parcels: the URL of its columns step."""
    return client.post(
        f"/office/import?lang={language}",
        data={"file": files.upload(path), "kind": "parcels", **form},
        content_type="multipart/form-data",
    ).headers["Location"]


def _rows(codes):
    return [
        {"Идентификационный код": c, "Адрес": f"ул. Курманжан Датка, {n}"}
        for n, c in enumerate(codes)
    ]


def without_prj(path):
    """The zipped Shapefile `path` with its .prj left out, as cadastre files often come."""
    target = path.with_name("без_prj.zip")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            if not name.lower().endswith(".prj"):
                out.writestr(name, source.read(name))
    return target


def _geojson(path, coordinates, code="5-08-01-0061-0001"):
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ident_code": code},
                        "geometry": {"type": "Polygon", "coordinates": [coordinates]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def _parcel(db_session, code):
    return db_session.scalar(sa.select(m.Parcel).where(m.Parcel.ident_code == code))


def test_a_kyrg06_shapefile_without_prj_is_refused_with_7693_and_its_rows(
    db_session, sign_in, osh, tmp_path
):
    codes = [f"5-08-01-0060-000{i}" for i in range(1, 5)]
    path = without_prj(files.shapefile_zip(tmp_path, _rows(codes), crs=7693))
    answer = _post(sign_in("officer_osh"), path)
    report = answer.get_json()
    assert answer.status_code == 422
    assert report["problems"][0]["field"] == "crs"
    assert "EPSG:7693" in report["problems"][0]["message"]
    candidates = {c["epsg"]: c["inside"] for c in report["crs_candidates"]}
    assert candidates[7693] == 4
    assert 4326 not in candidates and 28413 not in candidates
    assert _parcel(db_session, codes[0]) is None
    # Chosen from the candidates, the same file imports where it belongs.
    answer = _post(sign_in("officer_osh"), path, crs="7693")
    assert answer.status_code == 201, answer.get_json()["problems"]
    assert 850 < float(_parcel(db_session, codes[0]).measured_area) < 950


def test_sk42_chosen_for_a_kyrg06_file_is_refused_not_moved_to_the_gulf_of_guinea(
    db_session, sign_in, osh, tmp_path
):
    codes = [f"5-08-01-0062-000{i}" for i in range(1, 4)]
    path = without_prj(files.shapefile_zip(tmp_path, _rows(codes), crs=7693))
    answer = _post(sign_in("officer_osh"), path, crs="28413")
    report = answer.get_json()
    assert answer.status_code == 422
    problem = report["problems"][0]
    assert problem["field"] == "crs" and problem["row"] is None
    assert "3 of 3 rows lie outside" in problem["message"] and "EPSG:7693" in problem["message"]
    assert [c["epsg"] for c in report["crs_candidates"]][0] == 7693
    assert _parcel(db_session, codes[0]) is None


@pytest.mark.parametrize(
    "coordinates",
    [
        # Kyrg-06 metres in a GeoJSON, read as degrees: no Kyrg-06 zone can take them.
        [[500000, 4480000], [500030, 4480000], [500030, 4480030], [500000, 4480000]],
        # Beyond the pole.
        [[72.80, 95.0], [72.81, 95.0], [72.81, 95.01], [72.80, 95.0]],
    ],
)
def test_untransformable_coordinates_are_a_row_error_through_the_api(
    db_session, sign_in, osh, tmp_path, coordinates
):
    path = _geojson(tmp_path / "участки.geojson", coordinates)
    answer = _post(sign_in("officer_osh"), path)
    assert answer.status_code == 422
    problems = answer.get_json()["problems"]
    assert any(p["field"] in ("crs", "geometry") for p in problems), problems


def test_untransformable_coordinates_are_a_row_error_in_the_wizard(
    db_session, sign_in, osh, tmp_path
):
    path = _geojson(
        tmp_path / "участки.geojson",
        [[500000, 4480000], [500030, 4480000], [500030, 4480030], [500000, 4480000]],
    )
    client = sign_in("officer_osh")
    step = _wizard_step(client, path, "en")
    for action in ("dry_run", "commit"):
        answer = client.post(step, data={"col-ident_code": "ident_code", "action": action})
        assert answer.status_code == 200
        assert "outside the municipality" in answer.get_data(as_text=True)
    assert _parcel(db_session, "5-08-01-0061-0001") is None


def test_the_wizard_offers_the_crs_candidates_of_a_file_without_prj(
    db_session, sign_in, osh, tmp_path
):
    codes = ["5-08-01-0063-0001", "5-08-01-0063-0002"]
    path = without_prj(files.shapefile_zip(tmp_path, _rows(codes), crs=7693))
    client = sign_in("officer_osh")
    step = _wizard_step(client, path, "en")
    page = client.get(step).get_data(as_text=True)
    assert 'value="7693" checked' in page and "2 of 2 rows inside" in page
    chosen = client.post(f"{step}/crs", data={"crs": "7693"})
    assert chosen.status_code == 303
    page = client.get(step).get_data(as_text=True)
    assert "Coordinate system: EPSG:7693 — Kyrg-06 zone 2" in page
    done = client.post(
        step, data={"col-ident_code": "Идентифика", "col-address": "Адрес", "action": "commit"}
    )
    assert done.status_code == 200 and "Imported" in done.get_data(as_text=True)
    assert _parcel(db_session, codes[1]).geom is not None


def test_a_valid_polygon_is_kept_when_a_reimport_brings_an_invalid_one(
    db_session, sign_in, osh, tmp_path
):
    code = "5-08-01-0064-0001"
    lon, lat = 72.80, 40.53
    good = _geojson(
        tmp_path / "a.geojson",
        [
            [lon, lat],
            [lon + 0.0004, lat],
            [lon + 0.0004, lat + 0.0003],
            [lon, lat + 0.0003],
            [lon, lat],
        ],
        code,
    )
    client = sign_in("officer_osh")
    assert _post(client, good).status_code == 201
    stored = _parcel(db_session, code)
    before = db_session.scalar(
        sa.select(sa.func.ST_AsText(m.Parcel.geom)).where(m.Parcel.id == stored.id)
    )
    bowtie = _geojson(
        tmp_path / "b.geojson",
        [
            [lon, lat],
            [lon + 0.0004, lat + 0.0003],
            [lon + 0.0004, lat],
            [lon, lat + 0.0003],
            [lon, lat],
        ],
        code,
    )
    answer = _post(client, bowtie)
    assert answer.status_code == 201, answer.get_json()["problems"]
    warnings = [p for p in answer.get_json()["problems"] if p["severity"] == "warning"]
    assert any(p["row"] == 1 and "keeps its stored valid polygon" in p["message"] for p in warnings)
    db_session.expire_all()
    after, rejected, problem = db_session.execute(
        sa.select(
            sa.func.ST_AsText(m.Parcel.geom),
            sa.func.ST_AsText(m.Parcel.geom_rejected),
            m.Parcel.geom_problem,
        ).where(m.Parcel.id == stored.id)
    ).one()
    assert after == before
    assert rejected is not None and "Self-intersection" in problem
    # A register without polygons updates the address and leaves the polygon alone too.
    register = tmp_path / "реестр.csv"
    register.write_text(f"Идентификационный код;Адрес\n{code};ул. Ленина, 9\n", encoding="utf-8")
    assert _post(client, register).status_code == 201
    db_session.expire_all()
    assert (
        db_session.scalar(
            sa.select(sa.func.ST_AsText(m.Parcel.geom)).where(m.Parcel.id == stored.id)
        )
        == before
    )


def test_the_same_code_check_in_the_form_the_api_and_imports_with_the_example(
    db_session, sign_in, headers, client, osh, tmp_path
):
    example = "0-12-34-5678-9012"  # made from the factory municipality's own pattern
    expected = (
        f"the identification code does not match the pattern of the municipality (e.g. {example})"
    )
    form = sign_in("officer_osh").post("/office/parcels/new?lang=en", data={"ident_code": "ОШ-17"})
    assert form.status_code == 400 and expected in form.get_data(as_text=True)
    api = client.post(
        "/api/v1/parcels",
        json={"municipality": "osh", "ident_code": "ОШ-17"},
        headers=headers["officer_osh"],
    )
    assert api.status_code in (400, 422) and expected in json.dumps(
        api.get_json(), ensure_ascii=False
    )
    register = tmp_path / "реестр.csv"
    register.write_text(
        "Идентификационный код;Адрес\n5-08-01-0065-0001;а\nОШ-17;б\n", encoding="utf-8"
    )
    answer = _post(sign_in("officer_osh"), register)
    # The import refuses it as the form and the API do, with the same message, by row
    # and field, and writes nothing of the file (one validation path for every writer).
    assert answer.status_code == 422
    problems = answer.get_json()["problems"]
    assert [(p["row"], p["field"], p["message"], p["severity"]) for p in problems] == [
        (2, "ident_code", expected, "error")
    ]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(m.Parcel)) == 0


def test_a_cpg_saying_utf8_on_a_cp1251_table_says_which_encoding_fits(
    db_session, sign_in, osh, tmp_path
):
    codes = ["5-08-01-0066-0001"]
    source = files.shapefile_zip(tmp_path, _rows(codes), crs=7693)
    path = tmp_path / "с_cpg.zip"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as out:
        for name in original.namelist():
            out.writestr(name, original.read(name))
        out.writestr("parcels.cpg", "UTF-8")
    client = sign_in("officer_osh")
    answer = _post(client, path)
    assert answer.status_code == 422
    problem = answer.get_json()["problems"][0]
    assert problem["field"] == "encoding"
    assert "its .cpg says UTF-8" in problem["message"] and "CP1251" in problem["message"]
    assert "--encoding cp1251" in problem["message"]
    answer = _post(client, path, encoding="cp1251")
    assert answer.status_code == 201, answer.get_json()["problems"]
    assert _parcel(db_session, codes[0]).address == "ул. Курманжан Датка, 0"


def test_the_report_names_the_uploaded_file(db_session, sign_in, osh, tmp_path):
    lon, lat = 72.80, 40.53
    path = _geojson(
        tmp_path / "Участки Ош, 2024.geojson",
        [[lon, lat], [lon + 0.0004, lat], [lon + 0.0004, lat + 0.0003], [lon, lat]],
        "5-08-01-0067-0001",
    )
    answer = _post(sign_in("officer_osh"), path, dry_run="true")
    assert answer.get_json()["source"] == "Участки Ош_ 2024.geojson"


def test_an_import_opens_and_resolves_flags_at_once(db_session, sign_in, osh, tmp_path):
    code = "5-08-01-0068-0001"
    lon, lat = 72.80, 40.53
    ring = [
        [lon, lat],
        [lon + 0.0004, lat],
        [lon + 0.0004, lat + 0.0003],
        [lon, lat + 0.0003],
        [lon, lat],
    ]

    def send(area):
        path = tmp_path / f"{area}.geojson"
        path.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"ident_code": code, "documented_area": area},
                            "geometry": {"type": "Polygon", "coordinates": [ring]},
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        return _post(sign_in("officer_osh"), path)

    def flag():
        db_session.expire_all()
        return db_session.scalar(
            sa.select(m.AnomalyFlag).where(
                m.AnomalyFlag.rule == "area_mismatch",
                m.AnomalyFlag.parcel_id == _parcel(db_session, code).id,
            )
        )

    first = send(5000)  # the polygon is about 1,000 m²
    assert first.status_code == 201 and first.get_json()["flags_opened"] >= 1
    assert flag().status == m.FlagStatus.OPEN
    measured = float(_parcel(db_session, code).measured_area)
    second = send(round(measured))
    assert second.status_code == 201 and second.get_json()["flags_resolved"] >= 1
    assert flag().status == m.FlagStatus.RESOLVED


def test_the_wizard_page_can_poll_how_far_its_dry_run_got(db_session, sign_in, osh, tmp_path):
    register = tmp_path / "реестр.csv"
    register.write_text(
        "Идентификационный код;Адрес\n5-08-01-0069-0001;а\n5-08-01-0069-0002;б\n",
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    step = _wizard_step(client, register, "en")
    page = client.get(step).get_data(as_text=True)
    assert f'data-url="{step}/progress"' in page and "import_progress.js" in page
    assert client.get(f"{step}/progress").get_json()["steps"] == {}
    answer = client.post(
        step, data={"col-ident_code": "Идентификационный код", "action": "dry_run"}
    )
    assert answer.status_code == 200
    state = client.get(f"{step}/progress").get_json()
    assert state["total"] == 2
    assert state["steps"] == {"read": 2, "checked": 2, "written": 2}
    assert client.get("/office/import/0123456789abcdef0123456789abcdef/progress").status_code == 404


def test_the_wizard_imports_a_register_written_in_chunks(
    db_session, sign_in, osh, tmp_path, monkeypatch
):
    # Chunks of two rows: the import writes from a worker thread inside the request
    # while it checks the next rows (imports.chunks); the officer sees one import.
    from inventory.services.imports import KINDS

    monkeypatch.setattr(KINDS["parcels"], "chunk_rows", 2)
    register = tmp_path / "реестр.csv"
    register.write_text(
        "Идентификационный код;Адрес;Статус\n"
        + "".join(f"5-08-01-0070-000{n};ул. Курманжан-Датка, {n};свободен\n" for n in range(1, 6)),
        encoding="utf-8",
    )
    client = sign_in("officer_osh")
    step = _wizard_step(client, register, "ru")
    form = {"col-ident_code": "Идентификационный код", "col-address": "Адрес"}
    form["col-status"] = "Статус"
    assert client.post(step, data={**form, "action": "dry_run"}).status_code == 200
    assert _count_codes(db_session, "5-08-01-0070-%") == 0
    done = client.post(step, data={**form, "action": "commit"})
    assert done.status_code == 200, done.get_data(as_text=True)[:500]
    assert _count_codes(db_session, "5-08-01-0070-%") == 5
    assert client.get(f"{step}/progress").status_code == 404  # the upload is forgotten


def _count_codes(db_session, pattern):
    db_session.expire_all()
    return db_session.scalar(
        sa.select(sa.func.count()).select_from(m.Parcel).where(m.Parcel.ident_code.like(pattern))
    )


def test_the_systems_that_fit_a_wrongly_read_file_are_named_in_the_officers_language(
    db_session, sign_in, osh, tmp_path
):
    from inventory.services.geometry import KNOWN_CRS
    from tests.office.walks import said

    codes = [f"5-08-01-0065-000{i}" for i in range(1, 4)]
    path = without_prj(files.shapefile_zip(tmp_path, _rows(codes), crs=7693))
    client = sign_in("officer_osh")
    step = _wizard_step(client, path, "ru", crs="28413")
    mapping = {"col-ident_code": "Идентифика", "col-address": "Адрес", "action": "dry_run"}
    page = html.unescape(client.post(f"{step}?lang=ru", data=mapping).get_data(as_text=True))
    named = f"EPSG:7693 {said('ru', KNOWN_CRS[7693])}"
    inside = said("ru", "%(inside)s of %(rows)s rows inside", inside=3, rows=3)
    assert f"{named} ({inside})" in page
    assert "zone" not in page and "of 3 rows" not in page
    # The API's English sentence keeps the English names, whatever the language.
    answer = _post(client, path, crs="28413", lang="ru").get_json()
    assert f"EPSG:7693 {KNOWN_CRS[7693]} (3 of 3 rows)" in answer["problems"][0]["message"]
