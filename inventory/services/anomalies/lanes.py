"""Collecting rules' findings on several connections at once, for a full scan.

Most rules are one statement that PostgreSQL runs on one core (their plans hold
materialised CTEs, which parallel workers cannot share), so a scan that runs them one
after another leaves the other cores idle. A full scan therefore hands rules to
`Lanes`: each lane is a connection of its own that runs one rule at a time as
`CREATE UNLOGGED TABLE ... AS <rule>` and commits it, while the scan's own session
merges the tables as they arrive (engine.py).

Every lane reads the same data as the scan's session: the session exports its snapshot
(`pg_export_snapshot()`) and each lane's transaction imports it. A snapshot shows
committed data only, so lanes are used only while the session's transaction has written
nothing (`exportable_snapshot()` says so); otherwise the scan runs its rules in its own
session, one after another.

The tables are named `anomaly_found_<pid>_<rule>` after the scan session's backend
process. The scan drops each table in its own transaction once merged; tables a failed
scan left behind are dropped by the next scan, once no session with that pid is alive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.services.anomalies.rules import Rule

_PREFIX = "anomaly_found_"
_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")

_LEFTOVERS = sa.text("""
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind = 'r'
   AND c.relname LIKE 'anomaly\\_found\\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                    WHERE c.relname LIKE 'anomaly\\_found\\_' || a.pid || '\\_%')
""")


def set_local(executor: so.Session | sa.Connection, values: Mapping[str, str]) -> None:
    """Set these settings (jit, work_mem) for the rest of the current transaction, in
    one statement."""
    calls = ", ".join(f"set_config(:name_{i}, :value_{i}, true)" for i in range(len(values)))
    params: dict[str, str] = {}
    for i, (name, value) in enumerate(values.items()):
        params.update({f"name_{i}": name, f"value_{i}": value})
    if params:
        executor.execute(sa.text(f"SELECT {calls}"), params)


def exportable_snapshot(session: so.Session) -> str | None:
    """The id of the session's snapshot for lanes to import, or None when lanes would
    not see what the session sees (its transaction has written something)."""
    return session.scalar(
        sa.text(
            "SELECT CASE WHEN pg_current_xact_id_if_assigned() IS NULL "
            "THEN pg_export_snapshot() END"
        )
    )


class Lanes:
    """A pool of `workers` connections that collect rules' findings into tables, under
    the snapshot `snapshot` of the scan's session (whose backend is `pid`).

    Use as a context manager; `submit()` returns a Future of (table name, row count).
    """

    def __init__(
        self,
        engine: sa.Engine,
        snapshot: str,
        pid: int,
        workers: int,
        statement_settings: Mapping[str, str],
    ) -> None:
        if not _SNAPSHOT_ID.match(snapshot):
            raise ValueError(f"not a snapshot id: {snapshot!r}")
        self.engine = engine
        self.snapshot = snapshot
        self.pid = pid
        self.settings = dict(statement_settings)
        self._pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="scan-lane")

    def __enter__(self) -> Lanes:
        self.drop_leftovers()
        return self

    def __exit__(self, *exc: object) -> None:
        # On an error, cancel what has not started; what runs finishes (its table is
        # dropped by a later scan).
        self._pool.shutdown(wait=True, cancel_futures=exc[0] is not None)

    def table(self, rule: Rule) -> str:
        """The name of the table that holds `rule`'s findings in this scan."""
        return f"{_PREFIX}{self.pid}_{rule.code}"

    def submit(self, rule: Rule, params: dict[str, Any]) -> Future[tuple[str, int]]:
        """Start collecting `rule`'s full-scan findings in a lane."""
        return self._pool.submit(self._collect, rule, params)

    def _collect(self, rule: Rule, params: dict[str, Any]) -> tuple[str, int]:
        table = self.table(rule)
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try:
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{self.snapshot}'")
                set_local(conn, self.settings)
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
                found = conn.execute(
                    sa.text(f"CREATE UNLOGGED TABLE {table} AS {rule.hashed_sql(False)}"), params
                ).rowcount
                if found > 1000:  # the merge is planned with the real row count
                    conn.exec_driver_sql(f"ANALYZE {table}")
                conn.exec_driver_sql("COMMIT")
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
        return table, found

    def drop_leftovers(self) -> None:
        """Drop the tables of scans whose session is gone (a scan that failed)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            for name in conn.scalars(_LEFTOVERS):
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
