"""Every message exists in Kyrgyz, Russian and English, and pages follow the language."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from inventory.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "inventory" / "translations"


def _ids(catalog):
    return {m.id for m in catalog if m.id}


def test_the_message_template_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run(
        [
            pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ValidationError",
            "-k",
            "NotFound",
            "-k",
            "Forbidden",
            "-k",
            "Conflict",
            "-k",
            "DomainError",
            "-k",
            "BadValue",
            "-k",
            "problem:3",
            "-k",
            "lookup:4",
            "--no-location",
            "--ignore-dirs=.venv var node_modules",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as new, (TRANSLATIONS / "messages.pot").open("rb") as old:
        assert _ids(read_po(new)) == _ids(read_po(old)), (
            "run pybabel extract (see inventory/translations/README.md)"
        )


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_message_is_translated(language):
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        wanted = _ids(read_po(handle))
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = sorted(m.id for m in catalog if m.id and (not m.string or m.fuzzy))
    assert untranslated == []
    assert wanted <= _ids(catalog), sorted(wanted - _ids(catalog))


@pytest.mark.parametrize(
    "language, heading",
    [
        ("ky", "Муниципалдык менчиктин реестри"),
        ("ru", "Реестр муниципальной собственности"),
        ("en", "Municipal property inventory"),
    ],
)
def test_the_home_page_speaks_the_chosen_language_and_remembers_it(client, language, heading):
    response = client.get(f"/stats?lang={language}")
    assert heading in response.get_data(as_text=True)
    assert f"lang={language}" in response.headers["Set-Cookie"]
    again = client.get("/stats")
    assert heading in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "language, text", [("ky", "Табылган жок"), ("ru", "Не найдено"), ("en", "Not found")]
)
def test_errors_are_translated_for_people_and_for_api_clients(client, language, text):
    page = client.get(f"/no-such-page?lang={language}", headers={"Accept": "text/html"})
    assert page.status_code == 404 and text in page.get_data(as_text=True)
    api = client.get(f"/api/v1/nothing?lang={language}")
    assert api.status_code == 404 and api.get_json()["error"] == text
