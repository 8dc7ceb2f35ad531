"""Large public downloads cannot take the app from everyone else, and the OCDS package
is sent from the snapshot, never built per request."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from inventory.services.opendata import snapshot

BIG = 64 * 1024 * 1024  # far more than the socket buffers hold: a slow reader blocks


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(server: subprocess.Popen) -> str:
    """Stop gunicorn and its worker, then read their output (a running server never
    closes it; the worker holds it too, so the whole process group goes)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        output, _ = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        output, _ = server.communicate(timeout=10)
    return output.decode(errors="replace")[-3000:]


@contextlib.contextmanager
def gunicorn(database_url: str, var_dir: Path, **settings: str) -> Iterator[str]:
    """The app under gunicorn with one worker of two threads (the smallest production
    shape); yields its base URL once /health answers."""
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="h" * 48,
        INVENTORY_VAR_DIR=str(var_dir),
        INVENTORY_NIGHTLY_JOBS="false",
        **{f"INVENTORY_{key}": value for key, value in settings.items()},
    )
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--threads", "2", "--timeout", "120", "inventory:create_app()"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(_stop(server)) from None
                time.sleep(0.3)
        yield base
    finally:
        _stop(server)


def _slow_download(base: str, path: str) -> tuple[socket.socket, bytes]:
    """Start a download and read only its first bytes, as a client on a slow line does;
    the connection stays open (the caller closes it)."""
    port = int(base.rsplit(":", 1)[1])
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(20)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return sock, sock.recv(256)


def _status(url: str, timeout: float) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_slow_downloads_of_large_files_leave_the_app_answering(database_url_for_tests, tmp_path):
    folder = tmp_path / "opendata"
    folder.mkdir()
    with (folder / "parcels-all.gpkg").open("wb") as out:
        out.truncate(BIG)
    with gunicorn(database_url_for_tests, tmp_path) as base:
        first, head = _slow_download(base, "/opendata/files/parcels-all.gpkg")
        second, refused = _slow_download(base, "/opendata/files/parcels-all.gpkg")
        try:
            assert head.startswith(b"HTTP/1.1 200")
            # every thread but one stays for the map, the office and /health
            assert refused.startswith(b"HTTP/1.1 503") and b"Retry-After: 30" in refused
            assert _status(f"{base}/health", timeout=10) == 200
        finally:
            first.close()
            second.close()
        # a finished (or abandoned) download gives its slot back
        deadline = time.monotonic() + 30
        while _status(f"{base}/opendata/files/parcels-all.gpkg", timeout=60) != 200:
            assert time.monotonic() < deadline
            time.sleep(0.5)


def test_the_ocds_package_is_the_snapshot_file(app, client):
    folder = Path(app.config["VAR_DIR"]) / "opendata"
    folder.mkdir(parents=True)
    written = b'{"version": "1.1", "releases": [], "uri": "as written by the snapshot"}'
    (folder / snapshot.OCDS_FILE).write_bytes(written)
    response = client.get("/opendata/ocds/releases.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.data == written
    again = client.get(
        "/opendata/ocds/releases.json", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_with_no_snapshot_yet_the_first_request_writes_the_package_once(app, client):
    path = Path(app.config["VAR_DIR"]) / "opendata" / snapshot.OCDS_FILE
    assert not path.exists()
    first = client.get("/opendata/ocds/releases.json")
    assert first.status_code == 200 and first.get_json()["releases"] == []
    assert path.is_file()
    written = path.stat().st_mtime_ns
    assert client.get("/opendata/ocds/releases.json").status_code == 200
    assert path.stat().st_mtime_ns == written  # sent again, not written again


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(app, client):
    folder = Path(app.config["VAR_DIR"]) / "opendata"
    folder.mkdir(parents=True)
    (folder / "parcels-all.csv").write_text("code\n", encoding="utf-8")
    app.config["OPENDATA_ACCEL_REDIRECT"] = "/_opendata/"
    response = client.get("/opendata/files/parcels-all.csv")
    assert response.status_code == 200 and response.data == b""
    assert response.headers["X-Accel-Redirect"] == "/_opendata/parcels-all.csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/opendata/files/missing.csv").status_code == 404
    assert client.get("/opendata/files/..%2Fpgpassword").status_code == 404
