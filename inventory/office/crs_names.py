"""The coordinate systems a file may be in (services.geometry.KNOWN_CRS), named in the
request's language for the forms that offer them: EPSG's names are English, and an
officer reading Kyrgyz or Russian meets "zone" and "longitude/latitude" in them."""

from __future__ import annotations

from flask_babel import gettext as _

from inventory.services.geometry import KNOWN_CRS


def known_crs() -> dict[int, str]:
    """{EPSG code: name in the page's language}, in KNOWN_CRS's order."""
    names = {
        4326: _("WGS 84 (longitude/latitude)"),
        7693: _("Kyrg-06 zone 2 (70°01'–73°01' E: Osh, Nookat, Jalal-Abad)"),
        7694: _("Kyrg-06 zone 3 (73°01'–76°01' E: eastern Jalal-Abad)"),
        28413: _("Pulkovo 1942 (SK-42) / Gauss-Kruger zone 13"),
        28412: _("Pulkovo 1942 (SK-42) / Gauss-Kruger zone 12"),
        3857: _("Web Mercator"),
        32642: _("WGS 84 / UTM zone 42N"),
        32643: _("WGS 84 / UTM zone 43N"),
    }
    return {code: names.get(code, name) for code, name in KNOWN_CRS.items()}


def crs_label(source: str | int | None) -> str | None:
    """A file's coordinate system as an officer reads it, "EPSG:7693 — Kyrg-06 zone 2
    (…)" with the name in the page's language; as the file says it when it is not one
    of KNOWN_CRS; None for None."""
    if source is None:
        return None
    text = str(source).strip()
    code = text.upper().removeprefix("EPSG:")
    names = known_crs()
    if code.isdecimal() and int(code) in names:
        return f"EPSG:{int(code)} — {names[int(code)]}"
    return text
