"""forget remembered "—" column choices that named no header

Revision ID: 0029
Revises: 0028

The import wizard remembers an office's column mapping for its next file. Until now a
field the file had no column for was remembered as "" ("—", left out), the same as a
column the officer refused. On the office's later files that "" overrode the names: a
register whose "Кат. земель" the names did not yet understand left the land category
out of every later register, also once the names understood it.

From now on the wizard keeps "" only where the file's headers named the field
(`wizard.remember`). The "" kept before cannot tell the two apart, so they are
forgotten: at worst an officer who refused a column sees it proposed again on the
columns step, where the choice is made again and kept. Nothing else of a mapping
changes. The downgrade has nothing to restore.
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        UPDATE import_mapping
           SET columns = (
                SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
                  FROM jsonb_each(columns)
                 WHERE value <> '""'::jsonb)
         WHERE columns @? '$.* ? (@ == "")'
        """
    )


def downgrade() -> None:
    pass
