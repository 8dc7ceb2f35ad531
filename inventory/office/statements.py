"""Statement lines still to assign: each bank or treasury line no contract matched at
import, and the picker an officer assigns it to a contract with."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from inventory.database import get_session
from inventory.office import bp, may_edit
from inventory.services import statement_lines
from inventory.services.permissions import can_write
from inventory.web.saving import commit_or_flash


@bp.get("/statement-lines")
def statement_lines_page():
    session = get_session()
    lines = statement_lines.open_lines(session, g.actor)
    writable = {line.municipality_id for line in lines if can_write(g.actor, line.municipality_id)}
    return render_template(
        "office/statement_lines.html",
        lines=lines,
        writable=writable,
        choices=statement_lines.contract_choices(session, writable) if may_edit(g.actor) else {},
    )


@bp.post("/statement-lines/<int:line_id>/assign")
def statement_line_assign(line_id: int):
    session = get_session()
    contract = request.form.get("contract", "")
    commit_or_flash(
        session,
        lambda: statement_lines.assign(session, g.actor, line_id, contract),
        done=_("The payment is recorded against the contract."),
        refused=_("Not assigned: %(reason)s"),
    )
    return redirect(url_for("office.statement_lines_page"), 303)
