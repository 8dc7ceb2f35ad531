"""Users of the office side: administrators, officers (bound to a city) and auditors."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inventory.models.base import Base, Timestamps, enum_column
from inventory.models.municipality import Municipality


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything: users, municipalities, reference tables
    OFFICER = "officer"  # edits the records of their own municipality
    AUDITOR = "auditor"  # reads everything, edits nothing


class User(Timestamps, Base):
    __tablename__ = "app_user"
    __table_args__ = (
        sa.CheckConstraint(
            "role <> 'officer' OR municipality_id IS NOT NULL", name="officer_has_municipality"
        ),
        sa.CheckConstraint("username ~ '^[a-z0-9][a-z0-9._-]{1,59}$'", name="username_format"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    full_name: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(300))
    role: so.Mapped[Role] = so.mapped_column(enum_column(Role, "role"))
    municipality_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("municipality.id"))
    active: so.Mapped[bool] = so.mapped_column(server_default=sa.true())
    language: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    last_login_at: so.Mapped[dt.datetime | None]
    failed_logins: so.Mapped[int] = so.mapped_column(server_default="0")
    locked_until: so.Mapped[dt.datetime | None]
    #: An auditor asked for the daily e-mail digest (officers get it anyway).
    digest_opt_in: so.Mapped[bool] = so.mapped_column(server_default=sa.false())

    municipality: so.Mapped[Municipality | None] = so.relationship()

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)
