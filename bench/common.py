"""What every benchmark shares: the result row, timing, and serving the app over HTTP.

A benchmark module exposes `run(url: str, parcels: int) -> list[Row]`: `url` is the
SQLAlchemy URL of the national database (bench/national.py) and `parcels` its size.
Each row compares a figure with a baseline measured in the same run; `bench/run` prints
them all in one table. Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass
class Row:
    """One line of the results table.

    `figure` and `baseline` are text with their unit ("12.4 ms", "310 KB"); `ratio` is
    figure / baseline for times and sizes (lower is better) unless the note says
    otherwise; `met` says whether the issue's target is met (None: no target).
    """

    what: str
    figure: str
    baseline: str = ""
    ratio: float | None = None
    note: str = ""
    met: bool | None = None
    target: str = ""


@dataclass(frozen=True)
class Timing:
    """Seconds per call after the warm-up: median, 95th percentile and every sample."""

    median: float
    p95: float
    samples: list[float] = field(default_factory=list)

    def __str__(self) -> str:
        return f"median {ms(self.median)}, p95 {ms(self.p95)}"


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 = p95) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summarise(samples: list[float]) -> Timing:
    return Timing(statistics.median(samples), percentile(samples, 0.95), list(samples))


def measure(call: Callable[[], object], *, warmup: int = 2, repeat: int = 15) -> Timing:
    """Call `call` `warmup` times unmeasured, then `repeat` times measured."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return summarise(samples)


def measure_each(calls: list[Callable[[], object]], *, warmup: int = 1) -> Timing:
    """Time a list of different calls (e.g. 200 tiles) once each, after `warmup` passes
    over the whole list, so each item is measured warm."""
    for _ in range(warmup):
        for call in calls:
            call()
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return summarise(samples)


def ms(seconds: float) -> str:
    value = seconds * 1000
    digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{digits}f} ms"


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def ratio(figure: float, baseline: float) -> float | None:
    return figure / baseline if baseline else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def run_server(
    command: list[str],
    *,
    base: str,
    env: dict[str, str | None] | None = None,
    probe: str = "/health",
    log_path: Path | None = None,
    timeout: float = 60.0,
    stop_timeout: float = 20.0,
) -> Iterator[str]:
    """Run a server (`command`, in its own process group) until the block ends; yield
    `base` once `base + probe` answers 200.

    `env` is added to this process's environment; a None value removes that variable.
    Its output goes to `log_path` (a temporary file when None), whose end a
    RuntimeError quotes if the server stops or stays silent for `timeout` seconds. At
    the end the server gets SIGTERM (gunicorn's master then stops its workers
    gracefully) and, after `stop_timeout` seconds, SIGKILL for its whole group.
    """
    log = open(log_path, "ab") if log_path else tempfile.TemporaryFile()
    environment = {**os.environ, **(env or {})}
    environment = {name: value for name, value in environment.items() if value is not None}
    process = subprocess.Popen(
        command,
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + probe, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                state = (
                    "stopped"
                    if process.poll() is not None
                    else f"did not answer {probe} in {timeout:.0f} s"
                )
                raise RuntimeError(f"{' '.join(command[:3])}... {state}:\n{_tail(log)}")
            time.sleep(0.3)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        log.close()


def _tail(log, chars: int = 3000) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")[-chars:]


@contextmanager
def serve(
    url: str,
    *,
    workers: int = 2,
    threads: int = 1,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Serve the app with gunicorn on a free loopback port against the database at `url`;
    yield its base URL ("http://127.0.0.1:PORT") once /health answers, and stop it after.
    """
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-gunicorn-{port}.log"
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        "inventory:create_app()",
    ]
    with run_server(
        command,
        base=f"http://127.0.0.1:{port}",
        log_path=log,
        timeout=timeout,
        env={"DATABASE_URL": url, **(env or {})},
    ) as base:
        yield base


def format_table(rows: list[tuple[str, Row]]) -> str:
    """The results as a Markdown table: benchmark, what, figure, baseline, ratio, target."""
    header = ("bench", "what", "figure", "baseline", "ratio", "target", "note")
    lines = [header]
    for module, row in rows:
        met = getattr(row, "met", None)
        met = "" if met is None else ("met" if met else "MISSED")
        target = f"{getattr(row, 'target', '')} {met}".strip()
        lines.append(
            (
                module,
                row.what,
                row.figure,
                row.baseline,
                "" if row.ratio is None else f"{row.ratio:.2f}",
                target,
                row.note,
            )
        )
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += [
        "| " + " | ".join(str(cell).replace("|", "/") for cell in line) + " |" for line in lines[1:]
    ]
    return "\n".join(out)


def main(name: str, run: Callable[[str, int], list[Row]], description: str) -> None:
    """The command line of a benchmark module run on its own: `--parcels N` (the
    national database of that size, built or reused) and the table of its rows."""
    import argparse

    import national

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--parcels", type=int, default=1_000_000)
    args = parser.parse_args()
    print(format_table([(name, row) for row in run(national.ensure(args.parcels), args.parcels)]))
