"""`inventory users create | deactivate | activate`: accounts for administrators,
officers and auditors (the same as an administrator's /office/users)."""

from __future__ import annotations

import click

from inventory.cli.common import friendly_errors, make_app
from inventory.models import Role


@click.group(help="Manage user accounts.")
def users() -> None:
    pass


@users.command("create", help="Create a user, or reset the role and password of one.")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--municipality", help="Slug of the officer's municipality (osh, jalal-abad, ...).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (asked for when not given).",
)
@click.option("--full-name", default=None)
@friendly_errors
def create(
    username: str, role: str, municipality: str | None, password: str, full_name: str | None
) -> None:
    from inventory.database import session_scope
    from inventory.services import users as user_service

    app = make_app()
    with app.app_context(), session_scope(app) as session:
        user, created = user_service.create_or_update(
            session,
            username=username,
            role=Role(role),
            municipality_slug=municipality,
            password=password,
            full_name=full_name,
        )
        click.echo(
            f"{'Created' if created else 'Updated'} {user.role.value} '{user.username}'"
            + (f" of {municipality}" if municipality else "")
            + "."
        )


def _set_active(username: str, active: bool) -> None:
    from inventory.database import session_scope
    from inventory.services import users as user_service
    from inventory.services.errors import NotFound
    from inventory.services.permissions import Actor

    app = make_app()
    with app.app_context(), session_scope(app) as session:
        user = user_service.find(session, username)
        if user is None:
            raise NotFound("no user %(username)s", field="username", username=username)
        # The command line acts as an administrator no account stands for.
        operator = Actor(user_id=0, role=Role.ADMIN, source="cli")
        user_service.set_active(session, operator, user.id, active)
    click.echo(f"{'Reactivated' if active else 'Deactivated'} '{user.username}'.")


@users.command(
    "deactivate", help="Stop an account from signing in; its sessions and API tokens end."
)
@click.argument("username")
@friendly_errors
def deactivate(username: str) -> None:
    _set_active(username, False)


@users.command("activate", help="Let a deactivated account sign in again.")
@click.argument("username")
@friendly_errors
def activate(username: str) -> None:
    _set_active(username, True)
