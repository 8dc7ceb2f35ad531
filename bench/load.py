"""Load test of the public map served for real, and the same load with the database
stopped and started again in the middle.

    .venv/bin/python bench/load.py                                # 50 users for 60 s
    .venv/bin/python bench/load.py --users 50 --seconds 60 --fault
    .venv/bin/python bench/load.py --database-url postgresql://...  # a loaded database

By default it creates a PostGIS cluster of its own (under var/bench-clusters, on a free
loopback port), loads the demo data into it, serves it with `inventory serve
--production` (gunicorn) on a free loopback port, and removes the cluster at the end. The
cluster is its own so that stopping it (`--fault`) disturbs nothing else on the machine.

Simulated residents do what the map makes a browser do: load `/` with its scripts and the
municipal borders, then, with pauses between actions, look at a view (the parcel and
building vector tiles of a 5 × 4 tile window at zoom 12 to 16, six at a time as a browser
does), search by identification code or street and open the popup of a hit, or open a
parcel's card page. The client is asyncio + httpx: one process, no threads, so on a
2-core machine it takes little CPU from the server it measures; its own event-loop lag is
measured and printed, so a client that falls behind shows instead of passing for server
latency. Before the 50-user run one user runs the same actions without pauses: its
latencies are the baseline the ratios are measured against.

`--fault` runs the load a second time and stops the database (`pg_ctl stop -m fast`) for
`--outage` seconds in the middle: every failed request must be a 503 with the "database is
not reachable" message (never a 500, a traceback or a request hanging until the client's
timeout), and errors must stop within a few seconds of the database coming back, without
restarting the app. Figures only; the exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa
import sqlalchemy.orm as so

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Row, free_port, run_server  # noqa: E402
from inventory.database import embedded, migrate  # noqa: E402
from inventory.database.embedded import Cluster  # noqa: E402
from inventory.database.session import make_engine  # noqa: E402
from inventory.services import demo, reference  # noqa: E402
from inventory.services.public.model import VISIBLE_PARCEL  # noqa: E402

#: What the 503 page and JSON say (English: the simulated browsers ask for English).
OUTAGE_MESSAGE = "The database is not reachable right now"
#: The tile window of one view: a 1280 × 1024 browser window at 256-pixel tiles.
VIEW_COLUMNS, VIEW_ROWS = 5, 4
#: Browsers open at most six connections to one host.
BROWSER_CONNECTIONS = 6
CLIENT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
#: Seconds an idle connection is reused: below gunicorn's --keep-alive (5 s), so the client
#: never sends on a connection the server is closing at that very moment.
CLIENT_KEEPALIVE = 4.0
#: What a reused connection closed by the server before it answered raises. Browsers
#: send the request again on a new connection in that case (it may be a worker recycled
#: by --max-requests, or the keep-alive race); so do these users, once, and count it.
CLOSED_BEFORE_ANSWER = (httpx.RemoteProtocolError, httpx.ReadError)


# --- the database and the server ---------------------------------------------------------


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """A cluster of this run's own, removed afterwards whatever happens."""
    folder = ROOT / "var" / "bench-clusters" / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True)
    cluster = Cluster(var_dir=folder, port=free_port())
    try:
        embedded.up(cluster)
        yield cluster
    finally:
        if (cluster.data_dir / "postmaster.pid").exists():
            embedded.down(cluster)
        shutil.rmtree(folder, ignore_errors=True)


def load_demo_into(url: str) -> None:
    """Migrate the database and load the demo data (no demo accounts: the map is public)."""
    migrate.upgrade(url)
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with so.Session(engine) as session, session.begin():
        reference.ensure_reference_data(session)
        demo.load_demo(session, password=None)
    engine.dispose()


@dataclass(frozen=True)
class Target:
    id: int
    ident_code: str
    street: str | None
    lon: float
    lat: float


def pick_targets(url: str, count: int = 2000) -> list[Target]:
    """Public parcels to look at, search for and open, with a point inside each."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(f"""
            SELECT p.id, p.ident_code, p.address,
                   ST_X(ST_PointOnSurface(p.geom)) AS lon,
                   ST_Y(ST_PointOnSurface(p.geom)) AS lat
            FROM parcel p WHERE {VISIBLE_PARCEL} AND p.geom IS NOT NULL
            ORDER BY random() LIMIT :count"""),
            {"count": count},
        ).all()
    engine.dispose()
    if not rows:
        raise SystemExit("The database has no public parcel with a geometry: load the demo.")
    return [Target(r.id, r.ident_code, _street(r.address), r.lon, r.lat) for r in rows]


def _street(address: str | None) -> str | None:
    """The street of an address as a resident would type it (the longest word)."""
    words = re.findall(r"[^\W\d_]{4,}", address or "")
    return max(words, key=len) if words else None


@contextmanager
def served(database_url: str, log_file: Path, workers: int | None = None) -> Iterator[str]:
    """`inventory serve --production` on a free loopback port; yields its base URL."""
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="inventory-bench-load-")  # uploads, snapshots
    env = dict(
        INVENTORY_ENV="production",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_hex(32),
        INVENTORY_BASEMAP_URL="none",
        INVENTORY_VAR_DIR=var_dir,
    )
    env["INVENTORY_PUBLIC_DATABASE_URL"] = None  # every read on the database measured
    command = [
        str(Path(sys.executable).with_name("inventory")),
        "serve",
        "--production",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if workers:
        command += ["--workers", str(workers)]
    try:
        with run_server(
            command,
            env=env,
            base=f"http://127.0.0.1:{port}",
            log_path=log_file,
            timeout=120,
            stop_timeout=40,
        ) as base:
            yield base
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def check_alive(base: str, log_file: Path) -> None:
    """Stop the benchmark when the server itself is gone (its log says why)."""
    try:
        httpx.get(base + "/health", timeout=10)
    except httpx.ConnectError:
        raise SystemExit(f"The server stopped during the run:\n{_tail(log_file)}") from None


def _tail(log_file: Path, lines: int = 30) -> str:
    return "\n".join(log_file.read_text(errors="replace").splitlines()[-lines:])


# --- the simulated residents ------------------------------------------------------------


@dataclass
class Result:
    start: float  # seconds since the run started
    end: float
    kind: str
    outcome: int | str  # the HTTP status, or what went wrong before one came
    clear: bool = True  # a 5xx answered with the outage message and no traceback
    retried: bool = False  # sent again after the server closed the connection unanswered


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)  # the client's event-loop lag, s
    events: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The slippy-map tile (x, y) holding a point at zoom z."""
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


class Resident:
    """One simulated map user with a browser's six connections."""

    def __init__(
        self,
        run: Run,
        base: str,
        targets: list[Target],
        t0: float,
        think: tuple[float, float],
        rng: random.Random,
    ):
        self.run, self.targets, self.t0, self.think, self.rng = run, targets, t0, think, rng
        self.client = httpx.AsyncClient(
            base_url=base,
            timeout=CLIENT_TIMEOUT,
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=BROWSER_CONNECTIONS,
                max_keepalive_connections=BROWSER_CONNECTIONS,
                keepalive_expiry=CLIENT_KEEPALIVE,
            ),
            headers={"Accept-Language": "en", "User-Agent": "inventory-bench-load"},
        )
        self.semaphore = asyncio.Semaphore(BROWSER_CONNECTIONS)

    async def get(self, kind: str, path: str, accept: str = "*/*") -> httpx.Response | None:
        async with self.semaphore:
            start = time.perf_counter() - self.t0
            response, retried = None, False
            try:
                try:
                    response = await self.client.get(path, headers={"Accept": accept})
                except CLOSED_BEFORE_ANSWER:
                    retried = True
                    response = await self.client.get(path, headers={"Accept": accept})
                outcome: int | str = response.status_code
            except httpx.TimeoutException:
                outcome = "timeout"
            except httpx.ConnectError:
                outcome = "connection refused"
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            end = time.perf_counter() - self.t0
        clear = True
        if response is not None and response.status_code >= 500:
            text = response.text
            clear = OUTAGE_MESSAGE in text and "Traceback" not in text
        self.run.results.append(Result(start, end, kind, outcome, clear, retried))
        return response

    async def pause(self, deadline: float) -> None:
        seconds = self.rng.uniform(*self.think)
        await asyncio.sleep(max(0.0, min(seconds, deadline - time.perf_counter())))

    async def open_map(self) -> None:
        page = await self.get("page /", "/", "text/html")
        assets = (
            re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', page.text)
            if page is not None and page.status_code == 200
            else []
        )
        await asyncio.gather(
            self.get("borders", "/layers/boundaries.geojson"),
            *(self.get("static", path) for path in dict.fromkeys(assets)),
        )

    async def look_around(self) -> None:
        """The parcel and building tiles of one view near a parcel, at zoom 12-16."""
        target = self.rng.choice(self.targets)
        z = self.rng.randint(12, 16)
        cx, cy = tile_of(target.lon, target.lat, z)
        tiles = [
            (x, y)
            for x in range(cx - VIEW_COLUMNS // 2, cx + (VIEW_COLUMNS + 1) // 2)
            for y in range(cy - VIEW_ROWS // 2, cy + (VIEW_ROWS + 1) // 2)
        ]
        await asyncio.gather(
            *(self.get("parcel tile", f"/tiles/parcels/{z}/{x}/{y}.pbf") for x, y in tiles),
            *(self.get("building tile", f"/tiles/buildings/{z}/{x}/{y}.pbf") for x, y in tiles),
        )

    async def search_and_open(self) -> None:
        """Search by a code (whole or its first groups) or a street; open a hit's popup."""
        target = self.rng.choice(self.targets)
        choice = self.rng.random()
        if choice < 0.4 or not target.street:
            query = target.ident_code
        elif choice < 0.6:
            query = "-".join(target.ident_code.split("-")[:3])
        else:
            query = target.street
        response = await self.get(
            "search", "/search?" + httpx.QueryParams(q=query).__str__(), "application/json"
        )
        hits = []
        if response is not None and response.status_code == 200:
            hits = response.json().get("results", [])
        if hits:
            hit = self.rng.choice(hits[:3])
            await self.get("popup .json", f"/parcels/{hit['id']}.json", "application/json")

    async def open_card(self) -> None:
        await self.get("card page", f"/parcels/{self.rng.choice(self.targets).id}", "text/html")

    async def live(self, start_after: float, deadline: float) -> None:
        try:
            await asyncio.sleep(start_after)
            await self.open_map()
            await self.look_around()
            while time.perf_counter() < deadline:
                await self.pause(deadline)
                if time.perf_counter() >= deadline:
                    break
                action = self.rng.random()
                if action < 0.55:
                    await self.look_around()
                elif action < 0.85:
                    await self.search_and_open()
                else:
                    await self.open_card()
        finally:
            await self.client.aclose()


async def _watch_lag(run: Run, deadline: float, every: float = 0.05) -> None:
    """How late the event loop wakes: when this grows, the client, not the server, is slow."""
    while time.perf_counter() < deadline:
        before = time.perf_counter()
        await asyncio.sleep(every)
        run.lag.append(time.perf_counter() - before - every)


async def _fault(run: Run, cluster: Cluster, t0: float, after: float, outage: float) -> None:
    """Stop the database `after` seconds into the run and start it `outage` seconds later."""
    await asyncio.sleep(after)
    run.events.append((time.perf_counter() - t0, "database stopping (pg_ctl stop -m fast)"))
    await asyncio.to_thread(embedded.down, cluster)
    run.events.append((time.perf_counter() - t0, "database stopped"))
    await asyncio.sleep(outage)
    run.events.append((time.perf_counter() - t0, "database starting"))
    await asyncio.to_thread(embedded.up, cluster)
    run.events.append((time.perf_counter() - t0, "database accepting connections"))


async def _load(
    base: str,
    targets: list[Target],
    users: int,
    seconds: float,
    think: tuple[float, float],
    seed: int,
    fault: tuple[Cluster, float, float] | None = None,
) -> Run:
    run = Run(seconds=seconds)
    # Clients first: each makes an SSL context (tens of ms), which must not eat the run.
    residents = [
        Resident(run, base, targets, 0.0, think, random.Random(seed + n)) for n in range(users)
    ]
    t0 = time.perf_counter()
    for resident in residents:
        resident.t0 = t0
    deadline = t0 + seconds
    ramp = min(5.0, seconds / 4) if users > 1 else 0.0
    jobs = [resident.live(ramp * n / users, deadline) for n, resident in enumerate(residents)]
    jobs.append(_watch_lag(run, deadline))
    if fault:
        jobs.append(_fault(run, fault[0], t0, fault[1], fault[2]))
    await asyncio.gather(*jobs)
    run.seconds = time.perf_counter() - t0
    return run


def load(
    base: str,
    targets: list[Target],
    users: int,
    seconds: float,
    think: tuple[float, float] = (1.0, 3.0),
    seed: int = 1,
    fault: tuple[Cluster, float, float] | None = None,
) -> Run:
    """Run `users` residents against `base` for `seconds` (the fault, if any, in between)."""
    return asyncio.run(_load(base, targets, users, seconds, think, seed, fault))


# --- figures ----------------------------------------------------------------------------


def is_error(outcome: int | str) -> bool:
    """Errors: no answer at all, or any status other than 2xx/3xx."""
    return not isinstance(outcome, int) or outcome >= 400


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class KindFigures:
    kind: str
    requests: int
    errors: int
    per_second: float
    p50: float  # milliseconds, over answers that are not errors
    p95: float
    p99: float


def figures(run: Run) -> list[KindFigures]:
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in run.results:
        by_kind[result.kind].append(result)
    by_kind["all"] = list(run.results)
    out = []
    for kind, results in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        good = [(r.end - r.start) * 1000 for r in results if not is_error(r.outcome)]
        out.append(
            KindFigures(
                kind,
                len(results),
                sum(is_error(r.outcome) for r in results),
                len(results) / run.seconds,
                percentile(good, 50),
                percentile(good, 95),
                percentile(good, 99),
            )
        )
    return out


def print_figures(title: str, run: Run, users: int) -> None:
    print(
        f"\n{title}: {users} users, {run.seconds:.0f} s, "
        f"{len(run.results)} requests, {len(run.results) / run.seconds:.1f} requests/s; "
        f"machine load average at the end {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'kind':<15}{'requests':>9}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for f in figures(run):
        print(
            f"{f.kind:<15}{f.requests:>9}{f.errors:>8}{f.per_second:>8.1f}"
            f"{f.p50:>9.1f}{f.p95:>9.1f}{f.p99:>9.1f}"
        )
    outcomes = Counter(r.outcome for r in run.results)
    print(
        "answers: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items(), key=str))
        + f"; sent again on a new connection: {sum(r.retried for r in run.results)}"
    )
    if run.lag:
        print(
            f"client event-loop lag: median {statistics.median(run.lag) * 1000:.1f} ms, "
            f"p99 {percentile(run.lag, 99) * 1000:.1f} ms, max {max(run.lag) * 1000:.1f} ms"
        )


def print_timeline(run: Run) -> None:
    """Per second (by when each answer came): requests and errors by status."""
    seconds = int(math.ceil(max((r.end for r in run.results), default=0)))
    per_second: dict[int, Counter] = defaultdict(Counter)
    for result in run.results:
        per_second[int(result.end)][result.outcome] += 1
    events: dict[int, list[str]] = defaultdict(list)
    for at, what in run.events:
        events[int(at)].append(f"{at:.1f} s {what}")
    print(f"\n{'second':>6}{'requests':>9}{'ok':>6}  errors by status")
    for second in range(seconds + 1):
        counts = per_second[second]
        ok = sum(v for k, v in counts.items() if not is_error(k))
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str) if is_error(k))
        note = ("   <- " + "; ".join(events[second])) if events[second] else ""
        print(f"{second:>6}{sum(counts.values()):>9}{ok:>6}  {errors}{note}")


@dataclass
class FaultVerdict:
    failed: int
    by_status: Counter
    unclear: int  # 5xx without the outage message, or with a traceback
    hung: int  # requests that reached the client's timeout
    recovered_after: float | None  # seconds from "accepting connections" to the last error
    ok: bool
    reasons: str  # why not ok


def judge_fault(run: Run) -> FaultVerdict:
    up_at = next(at for at, what in run.events if what == "database accepting connections")
    failed = [r for r in run.results if is_error(r.outcome)]
    by_status = Counter(r.outcome for r in failed)
    unclear = sum(1 for r in failed if not r.clear or r.outcome != 503)
    hung = sum(1 for r in failed if r.outcome == "timeout")
    last_error = max((r.end for r in failed), default=None)
    recovered_after = None if last_error is None else max(0.0, last_error - up_at)
    # Recovery is proven only by answers after the last error: demand a few seconds of them.
    answered_after = sum(1 for r in run.results if last_error is not None and r.start > last_error)
    watched_after = run.seconds - up_at - (recovered_after or 0.0)
    reasons = [
        why
        for failing, why in (
            (unclear > 0, "failures other than the clear 503"),
            (hung > 0, "requests hung until the client's timeout"),
            (recovered_after is None, "no failure at all: the outage was not seen"),
            ((recovered_after or 0.0) > 5.0, "errors went on more than 5 s after the restart"),
            (
                answered_after == 0 or watched_after < 5.0,
                "under 5 s of answers after the last error: run longer to prove recovery",
            ),
        )
        if failing
    ]
    return FaultVerdict(
        len(failed), by_status, unclear, hung, recovered_after, not reasons, "; ".join(reasons)
    )


def server_log_problems(log_file: Path, since: int) -> Counter:
    """Tracebacks, unhandled errors and killed workers the server logged after `since`."""
    text = log_file.read_bytes()[since:].decode("utf-8", "replace")
    return Counter(
        {
            "traceback": text.count("Traceback"),
            "unhandled error (500)": text.count("unhandled error"),
            "worker timeout": text.count("WORKER TIMEOUT"),
        }
    )


def worker_restarts(log_file: Path, since: int) -> int:
    """Workers gunicorn recycled (--max-requests) after `since`: not a problem, but each
    closes its idle keep-alive connections, which clients see."""
    return log_file.read_bytes()[since:].count(b"Autorestarting worker")


# --- the whole benchmark ----------------------------------------------------------------


def _rows(base_run: Run, plain: Run, users: int, note: str) -> list[Row]:
    """p95 of each kind of request under load against one user's, and the errors."""
    baseline = {f.kind: f for f in figures(base_run)}
    rows = []
    for f in figures(plain):
        b = baseline.get(f.kind)
        rows.append(
            Row(
                f"{f.kind}: p95, {users} users",
                f"{f.p95:.0f} ms",
                f"{b.p95:.0f} ms (1 user)" if b else "",
                f.p95 / b.p95 if b and b.p95 else None,
                f"p50 {f.p50:.0f} ms, p99 {f.p99:.0f} ms, {f.requests} requests",
            )
        )
    errors = sum(is_error(r.outcome) for r in plain.results)
    rows.append(
        Row(
            f"errors, {users} users for {plain.seconds:.0f} s",
            str(errors),
            note=f"{len(plain.results) / plain.seconds:.0f} requests/s; {note}",
            met=errors == 0,
            target="no errors",
        )
    )
    return rows


def run(url: str, parcels: int, users: int = 50, seconds: float = 60.0) -> list[Row]:
    """bench/run's entry: serve the loaded database at `url` and measure (no fault)."""
    log_file = ROOT / "var" / "log" / f"bench-load-{uuid.uuid4().hex[:8]}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    targets = pick_targets(url)
    with served(url, log_file) as base:
        base_run = load(base, targets, 1, min(10.0, seconds), think=(0.0, 0.0))
        plain = load(base, targets, users, seconds)
    log_file.unlink(missing_ok=True)
    return _rows(base_run, plain, users, f"{parcels:,} parcels in the database")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="pause between a user's actions, s",
    )
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument(
        "--fault", action="store_true", help="a second run with the database stopped in the middle"
    )
    parser.add_argument(
        "--outage", type=float, default=10.0, help="seconds the database stays stopped"
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        help="an existing database with the data loaded "
        "(default: a cluster of this run's own with the demo)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.fault and args.database_url:
        parser.error("--fault stops the database: it needs the cluster of this run's own")

    with own_cluster_or(args.database_url) as (url, cluster):
        if cluster is not None:
            started = time.perf_counter()
            load_demo_into(url)
            print(f"demo loaded into {cluster.data_dir} in {time.perf_counter() - started:.0f} s")
        targets = pick_targets(url)
        log_file = ROOT / "var" / "log" / f"bench-load-{uuid.uuid4().hex[:8]}.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        failed = False
        with served(url, log_file, args.workers) as base:
            print(
                f"serving {base} with `inventory serve --production`; "
                f"{len(targets)} parcels to visit; {os.cpu_count()} CPUs shared by "
                "server, database and client"
            )
            mark = log_file.stat().st_size
            base_run = load(
                base, targets, 1, args.baseline_seconds, think=(0.0, 0.0), seed=args.seed
            )
            check_alive(base, log_file)
            print_figures("baseline, one user without pauses", base_run, 1)
            plain = load(base, targets, args.users, args.seconds, tuple(args.think), seed=args.seed)
            check_alive(base, log_file)
            print_figures("load", plain, args.users)
            problems = server_log_problems(log_file, mark)
            errors = sum(is_error(r.outcome) for r in plain.results)
            print(
                f"server log: {dict(problems)}; workers recycled: {worker_restarts(log_file, mark)}"
            )
            print(("PASS" if errors == 0 else "FAIL") + f": {errors} errors under load")
            failed |= errors > 0 or sum(problems.values()) > 0

            if args.fault:
                mark = log_file.stat().st_size
                at = max(5.0, (args.seconds - args.outage) / 3)
                faulty = load(
                    base,
                    targets,
                    args.users,
                    args.seconds,
                    tuple(args.think),
                    seed=args.seed + 1000,
                    fault=(cluster, at, args.outage),
                )
                check_alive(base, log_file)
                print_figures("load with the database stopped and started", faulty, args.users)
                print_timeline(faulty)
                verdict = judge_fault(faulty)
                problems = server_log_problems(log_file, mark)
                print(
                    f"server log: {dict(problems)}; workers recycled: "
                    f"{worker_restarts(log_file, mark)}"
                )
                recovered = (
                    "no error at all"
                    if verdict.recovered_after is None
                    else f"last error {verdict.recovered_after:.1f} s after the "
                    "database accepted connections again"
                )
                print(
                    ("PASS" if verdict.ok else "FAIL") + f": {verdict.failed} failed requests "
                    f"({', '.join(f'{k}: {v}' for k, v in verdict.by_status.items())}), "
                    f"{verdict.unclear} not a 503 with the clear message, {verdict.hung} "
                    f"hung until the client's timeout; {recovered}; the app was not "
                    "restarted" + (f" ({verdict.reasons})" if verdict.reasons else "")
                )
                failed |= not verdict.ok or sum(problems.values()) > 0
    if failed:
        print(f"server log kept: {log_file}")
    else:
        log_file.unlink(missing_ok=True)
    return 1 if failed else 0


@contextmanager
def own_cluster_or(database_url: str | None) -> Iterator[tuple[str, Cluster | None]]:
    if database_url:
        yield database_url, None
        return
    with own_cluster() as cluster:
        yield cluster.url(), cluster


if __name__ == "__main__":
    sys.exit(main())
