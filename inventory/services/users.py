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


#: Passwords long enough for the length rule that attackers try first (lists of leaked
#: passwords, keyboard rows of the Latin and Cyrillic layouts, the product's own words).
#: Compared lower-cased; ASVS 2.1.7 asks for such a check, not for composition rules.
COMMON_PASSWORDS = frozenset(
    """
1234567890 0123456789 0987654321 1234567890a 12345678910 123456789a 1q2w3e4r5t
1q2w3e4r5t6y 1qaz2wsx3edc qwertyuiop qwertyuiop123 qwerty1234 qwerty12345 qwerty123456
asdfghjkl1 asdfghjkl; zxcvbnm123 password12 password123 password1234 passw0rd123
iloveyou12 welcome123 football12 letmein123 administrator admin12345 admin123456
adminadmin 1111111111 1122334455 1234512345 1029384756 9876543210 abcdefghij
abcd123456 abc1234567 йцукенгшщз йцукенгшщзхъ фывапролдж ячсмитьбю qwertyqwerty
changeme123 inventory1 inventory123 inventory2026 demodemodemo kyrgyzstan
kyrgyzstan1 kyrgyzstan123 bishkek123 bishkek2024 osh1234567 jalalabad1 nookat1234
""".split()
)


def check_password_policy(password: str, username: str | None = None) -> None:
    """Raise ValidationError unless the password is long enough, not trivial, not one
    of the common passwords and does not contain the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "the password must have at least %(length)s characters",
            field="password",
            length=MIN_PASSWORD_LENGTH,
        )
    if len(set(password)) < 4:
        raise ValidationError("the password is too simple", field="password")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS:
        raise ValidationError("the password is one of the most common ones", field="password")
    if username and len(username) >= 3 and username.lower() in lowered:
        raise ValidationError("the password must not contain the username", field="password")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def create_or_update(
    session: so.Session,
    *,
    username: str,
    role: Role,
    password: str,
    municipality_slug: str | None = None,
    full_name: str | None = None,
    enforce_policy: bool = True,
) -> tuple[User, bool]:
    """Create the user, or set role, municipality and password of an existing one.

    Officers must belong to a municipality; admins and auditors belong to none.
    `enforce_policy=False` is only for demo accounts. Returns (user, created).
    """
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            "use 2-60 lowercase letters, digits, '.', '_' or '-'", field="username"
        )
    if enforce_policy:
        check_password_policy(password, username)
    municipality_id = None
    if role == Role.OFFICER:
        if not municipality_slug:
            raise ValidationError("an officer must belong to a municipality", field="municipality")
    if municipality_slug:
        municipality_id = session.scalar(
            sa.select(Municipality.id).where(Municipality.slug == municipality_slug)
        )
        if municipality_id is None:
            raise NotFound(
                "no municipality '%(slug)s'", field="municipality", slug=municipality_slug
            )
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
