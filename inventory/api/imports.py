"""`POST /api/v1/imports`: a file imported (or dry-run) through the import pipeline.

Multipart form: `file`, `kind`, and optionally `municipality`, `crs`, `encoding`,
`columns` (a JSON object {field: header}), `defaults` ({field: value}), `values`
({field: {value as written: code}}) and `dry_run=true`. Answers the report: 200 for a
dry run, 201 when written, 422 (nothing written) when any row has an error. A dry run's
answer also holds the column mapping it used (`columns`) and, for each column of
reference values, its distinct values with their row counts and proposed codes
(`values`: {field: [{value, rows, code}]}, code null where nothing names it), so a script
can review them and send its own `values`.
"""

from __future__ import annotations

import json
import shutil

from flask import current_app, g, jsonify, request

from inventory.api import bp
from inventory.database import get_session
from inventory.services.errors import ValidationError
from inventory.services.imports import wizard
from inventory.services.imports.safety import save_upload
from inventory.web.settings import settings
from inventory.web.uploads import imports_folder


def _object(raw: str | None, name: str) -> dict[str, str] | None:
    """A form field holding a JSON object of field names to text (`columns`: the file's
    header of each field; `defaults`: the value of a field for every row)."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise ValidationError("expected a JSON object {field: text}", field=name) from None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError("expected a JSON object {field: text}", field=name)
    return value


def _value_codes(raw: str | None) -> dict[str, dict[str, str]] | None:
    """The form field `values`: {field: {value: code}}."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str)
        and isinstance(v, dict)
        and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
        for k, v in value.items()
    ):
        raise ValidationError("expected a JSON object {field: {value: code}}", field="values")
    return value


@bp.post("/imports")
def create_import():
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError("required: the file (multipart field 'file')", field="file")
    form = request.form
    dry_run = form.get("dry_run", "").lower() in ("1", "true", "yes")
    options = {
        "municipality": form.get("municipality") or None,
        "crs": wizard.parse_crs(form.get("crs")),
        "encoding": wizard.parse_encoding(form.get("encoding")),
        "columns": _object(form.get("columns"), "columns"),
        "defaults": _object(form.get("defaults"), "defaults"),
        "values": _value_codes(form.get("values")),
    }
    max_bytes = current_app.config["IMPORT_MAX_BYTES"]
    session = get_session()
    wizard.municipality_for(session, g.actor, options["municipality"])  # 403 before upload
    path = save_upload(upload.stream, upload.filename or "", imports_folder(), max_bytes)
    try:
        report = wizard.import_for(
            session,
            g.actor,
            form.get("kind", ""),
            path,
            dry_run=dry_run,
            max_bytes=max_bytes,
            settings=settings(),
            **options,
        )
        found = None
        if dry_run and report.rows:
            found = wizard.inspect(
                session,
                g.actor,
                form.get("kind", ""),
                path,
                municipality=options["municipality"],
                crs=options["crs"],
                encoding=options["encoding"],
                max_bytes=max_bytes,
                columns=options["columns"],
                values=options["values"],
            )
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    body = report.as_dict()
    if found is not None:
        body["columns"] = found.mapping
        body["values"] = {
            name: [row.as_dict() for row in rows] for name, rows in found.values.items()
        }
    if not report.ok:
        session.rollback()
        return jsonify(body), 422
    session.commit()
    return jsonify(body), 200 if dry_run else 201
