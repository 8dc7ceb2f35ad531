"""Guessing the text encoding of a Shapefile's DBF when no .cpg says it.

Offices' shapefiles are mostly written by Windows GIS tools in cp1251 and often lose
their .cpg on the way; GDAL then assumes ISO-8859-1 and Cyrillic names turn into
"Ã¨Ã­". We look, in order, at the .cpg, the DBF header's language driver byte, and the
text itself: UTF-8 when it decodes as such, else cp1251.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from inventory.services.errors import ValidationError

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
    return _detect_text(header_and_records[header_size:])


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


def _codec(name: str | None) -> str | None:
    """A .cpg's or a person's name of an encoding as a Python codec name, or None."""
    if not name:
        return None
    text = name.strip().upper().removeprefix("ANSI").strip().replace("WINDOWS-", "CP")
    if text.isdecimal():
        text = "UTF-8" if text == "65001" else f"CP{text}"
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _fits(text: bytes, codec: str) -> bool:
    """Whether `text` reads as `codec`: it decodes, and a single-byte reading is not
    really UTF-8 (whose Cyrillic would show as "Ð£Ñ" mojibake)."""
    try:
        text.decode(codec)
    except UnicodeDecodeError as exc:
        return codec == "utf-8" and exc.start >= len(text) - 3  # a cut last character
    return codec == "utf-8" or _detect_text(text) != "UTF-8"


def _detect_text(text: bytes) -> str | None:
    if all(b < 0x80 for b in text):
        return None
    try:
        text.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError as exc:
        return "UTF-8" if exc.start >= len(text) - 3 else "CP1251"


def _dbf_sample(path: Path) -> tuple[bytes | None, str | None]:
    """The DBF's records (a sample) and its .cpg's text, of a .shp or a .zip."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        dbf = path.with_suffix(".dbf")
        cpgs = [c for c in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if c.exists()]
        if not dbf.exists():
            return None, None
        with dbf.open("rb") as handle:
            raw = handle.read(_SAMPLE)
        return raw, cpgs[0].read_text("ascii", "replace") if cpgs else None
    if suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            dbfs = [n for n in names if n.lower().endswith(".dbf")]
            if len(dbfs) != 1:
                return None, None
            cpg = [n for n in names if n.lower() == dbfs[0].lower()[:-4] + ".cpg"]
            with archive.open(dbfs[0]) as handle:
                raw = handle.read(_SAMPLE)
            return raw, archive.read(cpg[0]).decode("ascii", "replace") if cpg else None
    return None, None


def check_declared(path: Path, chosen: str | None) -> None:
    """Refuse reading a DBF in an encoding its text is not in: the one chosen, else the
    one its .cpg names (often "UTF-8" on a cp1251 file). The message says which
    encoding fits and where to choose it."""
    if path.suffix.lower() not in {".shp", ".zip"}:
        return
    raw, cpg = _dbf_sample(path)
    declared = _codec(chosen) or _codec(cpg)
    if raw is None or declared is None or len(raw) < 32:
        return
    text = raw[int.from_bytes(raw[8:10], "little") :]
    fits = _detect_text(text)
    if fits is None or _fits(text, declared):
        return
    params = {"file": path.name, "declared": declared.upper(), "fits": fits}
    option = fits.lower()
    if chosen:
        raise ValidationError(
            "%(file)s: its table is not in %(declared)s, the encoding chosen, but in "
            "%(fits)s: choose %(fits)s as the text encoding (--encoding %(option)s)",
            field="encoding",
            option=option,
            **params,
        )
    raise ValidationError(
        "%(file)s: its .cpg says %(declared)s, but its table is in %(fits)s: choose "
        "%(fits)s as the text encoding (--encoding %(option)s); a choice overrides the .cpg",
        field="encoding",
        option=option,
        **params,
    )
