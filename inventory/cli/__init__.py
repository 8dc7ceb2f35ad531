"""The `inventory` command: database, demo data, users, statistics and the server.

Every command calls the same services as the web app; none holds logic of its own.
"""

from __future__ import annotations

import click

from inventory.cli.backup import backup, restore
from inventory.cli.db import db
from inventory.cli.demo import demo
from inventory.cli.digest import digest
from inventory.cli.importing import import_file
from inventory.cli.opendata import opendata
from inventory.cli.rules import rules
from inventory.cli.scan import scan
from inventory.cli.serve import serve
from inventory.cli.stats import stats
from inventory.cli.users import users


@click.group(help="Municipal property inventory: parcels, buildings and lease contracts.")
def main() -> None:
    pass


for command in (
    backup,
    db,
    demo,
    digest,
    import_file,
    opendata,
    restore,
    rules,
    scan,
    serve,
    stats,
    users,
):
    main.add_command(command)
