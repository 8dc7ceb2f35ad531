"""Validating with libcoveocds without the internet.

libcoveocds reads the OCDS standard from a ZIP of the standard's repository, which it
downloads from GitHub unless it is given one (its `standard_zip` setting takes the bytes of
a ZIP). CI reaches PyPI, npm and Debian only, so `standard_zip()` builds that ZIP here from
the OCDS 1.1.5 schema files kept in `ocds_standard/` (their source is in its README):
the release schema and the release package schema as published; the versioned release
schema derived from the release schema by ocdsextensionregistry, as the standard derives
it; the closed codelists written from the schema's `enum`s, which the standard keeps equal
to the codelists. The open codelists are left out: libcoveocds only lists values outside
them as information, never as errors.

`offline()` lets sockets reach the loopback addresses only, so a test proves that nothing
is fetched from elsewhere: a fetch from the internet fails instead of silently working on
a developer's machine.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import socket
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

#: The standard's version tag the kept files are from.
TAG = "1__1__5"
STANDARD_DIR = Path(__file__).parent / "ocds_standard"


def _closed_codelists(schema: Any, found: dict[str, list[str]]) -> dict[str, list[str]]:
    """Codelist file name -> codes, for every closed codelist the schema names."""
    if isinstance(schema, dict):
        if schema.get("codelist") and schema.get("openCodelist") is False:
            enum = schema.get("enum") or schema.get("items", {}).get("enum") or []
            found.setdefault(schema["codelist"], [code for code in enum if code is not None])
        for value in schema.values():
            _closed_codelists(value, found)
    elif isinstance(schema, list):
        for value in schema:
            _closed_codelists(value, found)
    return found


def standard_zip() -> bytes:
    """A ZIP laid out as the standard's repository at TAG (`<top>/schema/...`), as
    ocdsextensionregistry's ProfileBuilder reads it."""
    from ocdsextensionregistry.versioned_release_schema import get_versioned_release_schema

    release_text = (STANDARD_DIR / "release-schema.json").read_text(encoding="utf-8")
    release = json.loads(release_text)
    versioned = get_versioned_release_schema(json.loads(release_text), TAG)
    top = f"standard-{TAG}/"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # ProfileBuilder takes the first entry as the top folder.
        archive.writestr(top, "")
        archive.writestr(top + "schema/release-schema.json", release_text)
        archive.writestr(
            top + "schema/release-package-schema.json",
            (STANDARD_DIR / "release-package-schema.json").read_text("utf-8"),
        )
        archive.writestr(
            top + "schema/versioned-release-validation-schema.json",
            json.dumps(versioned, ensure_ascii=False, indent=2),
        )
        for name, codes in sorted(_closed_codelists(release, {}).items()):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(["Code"])
            writer.writerows([code] for code in codes)
            archive.writestr(top + "schema/codelists/" + name, text.getvalue())
    return buffer.getvalue()


class InternetBlocked(OSError):
    """Raised by `offline()` for a connection or a name lookup off the loopback."""


def _loopback(host: Any) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sockets of this process reach 127.0.0.0/8 and ::1 only, while the block runs."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(host):
            raise InternetBlocked(f"test is offline: connection to {address!r} refused")
        return real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if not _loopback(host):
            raise InternetBlocked(f"test is offline: no name lookup for {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        # A proxy set in the environment would carry loopback requests off the machine.
        for name in ("no_proxy", "NO_PROXY"):
            patch.setenv(name, "127.0.0.1,localhost,::1")
        yield
