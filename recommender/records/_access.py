"""Who may use the records, and the log of what each one did: the store's account side.

Kept apart from the consult rows so that the rules of access (a current account, an admin
where asked) live in one place, and every consult operation checks and logs through it inside
its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast, get_args

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .errors import NotAllowedError
from .models import AccessRow
from .record import AccessEntry, Action
from .reference import stored_reference
from .users import Accounts, User

SYSTEM = "system"
"""The access log's "who" for what the retention schedule does by itself."""
ACTIONS: tuple[str, ...] = get_args(Action)


class ClinicAccess:
    """Clinic accounts, the check that a user may act, and the access log."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._accounts = Accounts(hasher)

    def add_user(self, name: str, password: str, role: str) -> User:
        with self._sessions.begin() as session:
            return self._accounts.add(session, name, password, role, self._clock())

    def verify_password(self, name: str, password: str) -> User | None:
        with self._sessions.begin() as session:
            return self._accounts.verify(session, name, password)

    def access_log(self, viewer: User, reference: str | None = None) -> list[AccessEntry]:
        with self._sessions.begin() as session:
            self.require(session, viewer, admin=True)
            query = select(AccessRow).order_by(AccessRow.at.desc(), AccessRow.id.desc())
            if reference is not None:
                query = query.where(AccessRow.reference == stored_reference(reference))
            return [
                AccessEntry(at=row.at, user=row.user_name, reference=row.reference, action=action)
                for row in session.scalars(query)
                if (action := _action(row.action)) is not None
            ]

    def require(self, session: Session, user: User, admin: bool = False) -> None:
        """The user must be a current account with that role (and an admin, if asked)."""
        current = Accounts.find(session, user.name)
        if current != user:
            raise NotAllowedError(f"{user.name!r} is not a current clinic account with that role")
        if admin and user.role != "admin":
            raise NotAllowedError(f"{user.name!r} is a {user.role}: only an admin may do this")

    def log(self, session: Session, who: str, reference: str, action: Action) -> None:
        """Write one access, in the caller's transaction, so it stands or falls with the act."""
        session.add(AccessRow(at=self._clock(), user_name=who, reference=reference, action=action))


def _action(text: str) -> Action | None:
    """A logged action as its type (None for one this version does not know)."""
    return cast(Action, text) if text in ACTIONS else None
