"""The import wizard's values step: what each value of the file stands for.

For each column of reference values (uses, categories, statuses, kinds, periods) the page
lists every distinct value of the file with its row count and the code its name or
synonym gives, the unknown first. The officer picks a code where none or the wrong one is
proposed (remembered for the municipality and kind with a successful import), and may
keep a value as a synonym for every office (inventory.services.reference_names).
"""

from __future__ import annotations

from flask import g, render_template, request

from inventory.database import get_session
from inventory.i18n import current_language
from inventory.office import bp, forms, require_editor
from inventory.office.importing import _forget, _options, _pending, _run, file_options
from inventory.services import reference_names
from inventory.services.errors import DomainError
from inventory.services.imports import wizard
from inventory.services.imports.value_names import value_fields
from inventory.services.reference_names import normal


def _chosen(found: wizard.Inspection) -> tuple[dict, list[tuple[str, str, str]]]:
    """The officer's codes from the form, {field: {value: code}} (where they differ from
    what the names propose, or confirm an earlier choice), and the (field, value, code)
    to keep as synonyms."""
    chosen: dict[str, dict[str, str]] = {}
    synonyms: list[tuple[str, str, str]] = []
    for name, rows in found.values.items():
        codes = {o.code for o in found.options[name]}
        # Rows are matched by the value each form row names, not by position: the
        # file's values are listed again, perhaps in another order, for every request.
        by_value = {normal(row.value): row for row in rows}
        for i in range(len(rows)):
            row = by_value.get(normal(request.form.get(f"raw-{name}-{i}", "")))
            code = request.form.get(f"val-{name}-{i}", "")
            if row is None or code not in codes:
                continue
            if code != row.code or row.chosen:
                chosen.setdefault(name, {})[row.value] = code
            if request.form.get(f"syn-{name}-{i}"):
                synonyms.append((name, row.value, code))
    return chosen, synonyms


def _inspect(pending: dict, path, values: dict | None = None) -> wizard.Inspection:
    return wizard.inspect(
        get_session(),
        g.actor,
        pending["kind"],
        path,
        **file_options(pending),
        columns=pending.get("columns"),
        values=values,
    )


@bp.route("/import/<token>/values", methods=["GET", "POST"])
def import_values(token: str):
    require_editor()
    pending, path = _pending(token)
    db = get_session()
    try:
        found = _inspect(pending, path)
    except DomainError as exc:
        _forget(token, path)
        return render_template("office/import_start.html", error=exc, **_options()), exc.status
    report = error = None
    if request.method == "POST":
        chosen, synonyms = _chosen(found)
        described = value_fields(wizard.KINDS[pending["kind"]])
        try:
            for name, value, code in synonyms:
                reference_names.add_synonym(db, described[name], code, value, g.actor.user_id)
            db.commit()
            commit = request.form.get("action") == "commit"
            report = _run(
                pending,
                path,
                columns=pending.get("columns"),
                defaults=pending.get("defaults") or None,
                values=chosen,
                dry_run=not commit,
            )
        except DomainError as exc:
            error = exc
        if report is not None and commit and report.ok:
            db.commit()
            _forget(token, path)
            return render_template(
                "office/import_done.html", report=report, labels=forms.IMPORT_LABELS
            )
        db.rollback()
        found = _inspect(pending, path, chosen)
    page = render_template(
        "office/import_values.html",
        token=token,
        pending=pending,
        found=found,
        report=report,
        error=error,
        language=current_language(),
        labels=forms.IMPORT_LABELS,
    )
    return page, error.status if error else 200
