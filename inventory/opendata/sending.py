"""Sending the open-data files so that downloads can never take the app from everyone
else.

A public download of a large file (the OCDS package, a whole-country GeoPackage) holds
the thread that sends it for as long as the client takes to read it. Each process sends
at most OPENDATA_DOWNLOAD_SLOTS files at once and asks further downloads to retry
(503 with Retry-After), so the other threads keep answering the map, the office and
/health. Behind nginx, OPENDATA_ACCEL_REDIRECT hands the file to nginx (X-Accel-Redirect)
and the thread is free at once.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, current_app, send_file
from flask_babel import gettext
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

#: Seconds a client asked to retry waits first.
RETRY_AFTER = 30
#: Files up to this size take no slot: the kernel's socket buffers take them whole, so
#: even a slow client never holds the thread that sends them.
SMALL_FILE = 256 * 1024

_lock = threading.Lock()


def _slots(app: Flask) -> threading.BoundedSemaphore:
    """The app's download slots, made on first use (one set per process and app)."""
    with _lock:
        slots = app.extensions.get("inventory.download_slots")
        if slots is None:
            count = max(1, int(app.config.get("OPENDATA_DOWNLOAD_SLOTS") or 1))
            slots = app.extensions["inventory.download_slots"] = threading.BoundedSemaphore(count)
        return slots


def retry_later() -> Response:
    """503 with Retry-After: the client is asked to come back, nothing waits here."""
    busy = Response(
        gettext("Many downloads are running right now; please try again in a minute."),
        status=503,
        mimetype="text/plain",
    )
    busy.headers["Retry-After"] = str(RETRY_AFTER)
    return busy


def send_snapshot_file(folder: Path, name: str, *, mimetype: str | None, max_age: int) -> Response:
    """The file `name` of the snapshot folder as a public, cacheable attachment.

    Answers 404 when the file is not there (or the name leaves the folder), 503 with
    Retry-After when this process already sends as many files as it may. Conditional
    requests get 304 as usual. With OPENDATA_ACCEL_REDIRECT set, nginx sends the body.
    """
    if safe_join(str(folder), name) is None or not (folder / name).is_file():
        raise NotFound()
    accel = current_app.config.get("OPENDATA_ACCEL_REDIRECT")
    if accel:
        response = Response(mimetype=mimetype)
        response.headers["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.cache_control.public = True
        response.cache_control.max_age = max_age
        return response
    if (folder / name).stat().st_size <= SMALL_FILE:
        return _send(folder / name, mimetype, name, max_age, None)
    slots = _slots(current_app._get_current_object())
    if not slots.acquire(blocking=False):
        return retry_later()
    try:
        return _send(folder / name, mimetype, name, max_age, slots.release)
    except BaseException:
        slots.release()
        raise


def _send(
    path: Path, mimetype: str | None, name: str, max_age: int, release: Callable[[], None] | None
) -> Response:
    handle = _ReleasingFile(path, release or (lambda: None))
    stat = os.fstat(handle.fileno())
    # A slot is held while the body is sent: the server closes the file when the client
    # has read it all or went away, and closing it (or reading it to its end) gives the
    # slot back. A callback on the response would not do: a file response is passed
    # through to the server as it is, and the response's own close is never called.
    response = send_file(
        handle,
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        max_age=max_age,
        etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}",
        last_modified=stat.st_mtime,
        conditional=True,
    )
    if response.status_code in (304, 412):  # no body to send: the slot is free at once
        response.response = []
        handle.close()
    response.cache_control.public = True
    return response


class _ReleasingFile(io.BufferedReader):
    """A file opened for sending that calls `release` once: when it is closed or read
    to its end, whichever comes first."""

    def __init__(self, path: Path, release: Callable[[], None]):
        super().__init__(io.FileIO(path, "rb"))
        self._release: Callable[[], None] | None = release

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data:  # read to the end: some servers close the file only much later
            self._give_back()
        return data

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._give_back()

    def _give_back(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()
