"""User accounts: creation, password policy and password checks."""
from __future__ import annotations

import re

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from inventory.models import Municipality, Role, User
from inventory.services.errors import NotFound, ValidationError

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


def check_password_policy(password: str) -> None:
    """Raise ValidationError unless the password is long enough and not trivial."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
            field="password")
    if len(set(password)) < 4:
        raise ValidationError("the password is too simple", field="password")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def create_or_update(session: so.Session, *, username: str, role: Role, password: str,
                     municipality_slug: str | None = None, full_name: str | None = None,
                     enforce_policy: bool = True) -> tuple[User, bool]:
    """Create the user, or set role, municipality and password of an existing one.

    Officers must belong to a municipality; admins and auditors belong to none.
    `enforce_policy=False` is only for demo accounts. Returns (user, created).
    """
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError("use 2-60 lowercase letters, digits, '.', '_' or '-'",
                              field="username")
    if enforce_policy:
        check_password_policy(password)
    municipality_id = None
    if role == Role.OFFICER:
        if not municipality_slug:
            raise ValidationError("an officer must belong to a municipality",
                                  field="municipality")
    if municipality_slug:
        municipality_id = session.scalar(
            sa.select(Municipality.id).where(Municipality.slug == municipality_slug))
        if municipality_id is None:
            raise NotFound(f"no municipality '{municipality_slug}'", field="municipality")
    user = session.scalar(sa.select(User).where(User.username == username))
    created = user is None
    if created:
        user = User(username=username)
        session.add(user)
    user.role = role
    user.municipality_id = municipality_id if role == Role.OFFICER else None
    user.password_hash = hash_password(password)
    user.full_name = full_name or user.full_name
    user.active = True
    session.flush()
    return user, created
