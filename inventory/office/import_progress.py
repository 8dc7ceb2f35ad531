"""How far a wizard import has got, kept next to its upload for the page to poll.

The dry run and the import run in the request that asks for them (all or nothing in one
transaction); while it runs, each step (rows read, checked, written) is written to
`progress.json` in the upload's folder, and the page asks for it once a second through
`/office/import/<token>/progress`, giving up after a deadline.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from inventory.services.imports.progress import Listener

_FILE = "progress.json"


def writer(folder: Path) -> Listener:
    """A progress listener that keeps the latest count of each step in `folder`."""
    state: dict = {"steps": {}, "total": 0}
    (folder / _FILE).unlink(missing_ok=True)  # a new run starts from nothing

    def listen(stage: str, done: int, total: int) -> None:
        state["steps"][stage] = done
        state["total"] = total
        state["at"] = time.time()
        temporary = folder / f".{_FILE}"
        temporary.write_text(json.dumps(state), encoding="utf-8")
        temporary.replace(folder / _FILE)

    return listen


def read(folder: Path) -> dict:
    """The latest steps ({"steps": {stage: rows}, "total": rows}), or none yet."""
    try:
        return json.loads((folder / _FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"steps": {}, "total": 0}
