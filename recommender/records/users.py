"""Clinic accounts: names, roles, and argon2 password hashes (never the password itself)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Literal, cast, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import AccountError
from .models import UserRow

Role = Literal["clinician", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
MIN_PASSWORD_LENGTH = 12
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")


@dataclass(frozen=True)
class User:
    """A signed-in account: what the access log records as "who"."""

    name: str
    role: Role


def check_new_account(name: str, password: str, role: str) -> None:
    """Refuse a bad name, a short password or an unknown role, naming the field."""
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            "name: use 1 to 100 letters, digits, dots, hyphens, underscores or @,"
            " starting with a letter or digit"
        )
    if role not in ROLES:
        raise AccountError(f"role: {role!r} is not a role; allowed: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: use at least {MIN_PASSWORD_LENGTH} characters")


class Accounts:
    """Makes accounts and checks passwords, rehashing when the hasher's parameters change."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    @cached_property
    def _decoy(self) -> str:
        """Checked against when the name is unknown, so a wrong name takes as long as a
        wrong password and account names cannot be found by timing."""
        return self._hasher.hash("decoy password, never used")

    def add(self, session: Session, name: str, password: str, role: str, now: datetime) -> User:
        check_new_account(name, password, role)
        session.add(
            UserRow(name=name, password_hash=self._hasher.hash(password), role=role, created_at=now)
        )
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            raise AccountError(f"name: an account called {name!r} already exists") from None
        return User(name=name, role=_role(role))

    def verify(self, session: Session, name: str, password: str) -> User | None:
        """The account if the password is right, else None (never says which part was wrong)."""
        row = session.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
        try:
            self._hasher.verify(row.password_hash if row else self._decoy, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self._hasher.check_needs_rehash(row.password_hash):
            row.password_hash = self._hasher.hash(password)
        return User(name=row.name, role=_role(row.role))

    @staticmethod
    def find(session: Session, name: str) -> User | None:
        """The account called `name` as it is now, or None."""
        row = session.scalars(select(UserRow).where(UserRow.name == name)).one_or_none()
        return None if row is None else User(name=row.name, role=_role(row.role))


def _role(text: str) -> Role:
    if text not in ROLES:
        raise AccountError(f"role: {text!r} is not a role; allowed: {', '.join(ROLES)}")
    return cast(Role, text)
