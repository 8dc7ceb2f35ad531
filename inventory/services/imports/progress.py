"""How far a running import has got: rows read, checked and written.

The command line prints each step to stderr and the wizard keeps it in a small file its
page polls; the pipeline only calls `step()`. Whoever wants to hear wraps the import in
`reporting(callback)`; with no listener a step costs nothing.

    with progress.reporting(lambda stage, done, total: print(stage, done, total)):
        run_import(...)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

#: A listener: (stage, rows done, rows in the file). Stages: "read", "checked",
#: "written", "rechecked".
Listener = Callable[[str, int, int], None]

_listener: ContextVar[Listener | None] = ContextVar("import_progress", default=None)


@contextlib.contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send the steps of the imports run inside the block to `listener`."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def step(stage: str, done: int, total: int) -> None:
    """Tell the listener, if any, that `done` of `total` rows passed `stage`."""
    listener = _listener.get()
    if listener is not None:
        listener(stage, done, total)
