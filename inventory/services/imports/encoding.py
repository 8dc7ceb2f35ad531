"""Guessing the text encoding of a Shapefile's DBF when no .cpg says it.

Offices' shapefiles are mostly written by Windows GIS tools in cp1251 and often lose
their .cpg on the way; GDAL then assumes ISO-8859-1 and Cyrillic names turn into
"Ã¨Ã­". We look, in order, at the .cpg, the DBF header's language driver byte, and the
text itself: UTF-8 when it decodes as such, else cp1251.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

#: DBF language driver ids (header byte 29) GDAL understands on its own.
_LDID_KNOWN = {0x57, 0x65, 0x66, 0xC9, 0x26, 0x64, 0x03, 0x01, 0x02}
#: How much of the records to sample: enough for a few hundred rows of names.
_SAMPLE = 256 * 1024


def _detect(header_and_records: bytes) -> str | None:
    if len(header_and_records) < 32:
        return None
    if header_and_records[29] in _LDID_KNOWN:
        return None  # the file says it; GDAL reads it
    header_size = int.from_bytes(header_and_records[8:10], "little")
    text = header_and_records[header_size:]
    if all(b < 0x80 for b in text):
        return None  # plain ASCII: any encoding reads it
    try:
        text.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError as exc:
        # A sample may cut a UTF-8 character in two at its end.
        if exc.start >= len(text) - 3:
            return "UTF-8"
    return "CP1251"


def dbf_encoding(path: Path) -> str | None:
    """The encoding to read the DBF of `path` (a .shp or a .zip) with, or None when the
    file says it itself (.cpg, language driver) or holds no text beyond ASCII."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        dbf = path.with_suffix(".dbf")
        if (
            not dbf.exists()
            or path.with_suffix(".cpg").exists()
            or path.with_suffix(".CPG").exists()
        ):
            return None
        with dbf.open("rb") as handle:
            return _detect(handle.read(_SAMPLE))
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            lowered = {n.lower() for n in names}
            dbfs = [n for n in names if n.lower().endswith(".dbf")]
            if len(dbfs) != 1 or dbfs[0].lower()[:-4] + ".cpg" in lowered:
                return None
            with archive.open(dbfs[0]) as handle:
                return _detect(handle.read(_SAMPLE))
    return None
