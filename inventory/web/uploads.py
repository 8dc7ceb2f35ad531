"""Where uploaded files live: photos and documents under UPLOAD_DIR, import files waiting
between the wizard's steps under UPLOAD_DIR/imports."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def folder() -> Path:
    """The folder of stored uploads (photos), as the UPLOAD_DIR setting names it."""
    return Path(current_app.config["UPLOAD_DIR"])


def imports_folder() -> Path:
    """Where import files wait between the wizard's steps (and the API's dry run)."""
    return folder() / "imports"
