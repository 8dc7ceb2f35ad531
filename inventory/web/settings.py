"""The operator's settings, handed to the services that take them as an argument."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app


def settings() -> Mapping[str, Any]:
    """The app's settings (inventory.config: defaults, then the environment), as services
    such as the anomaly re-check after a save read them."""
    return current_app.config
