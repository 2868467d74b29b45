"""Staff accounts: argon2 password hashes, two roles, and the command that creates a user.

There is no default account. The first one is made on the command line, with the password read
from standard input, never from the arguments (they end up in the shell history and in `ps`):

    make console-user NAME=tanaka ROLE=editor           # asks for the password twice
    printf '%s\\n' "$PASSWORD" | .venv-actions/bin/python -m console.accounts tanaka --role staff
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from console.database import connect, now, users
from console.settings import database_url

ROLES = ("staff", "editor")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 100
_HASHER = PasswordHasher()
_UNUSED_HASH = _HASHER.hash("an account that does not exist")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    @property
    def is_editor(self) -> bool:
        return self.role == "editor"


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


def create_user(engine: Engine, name: str, password: str, role: str) -> User:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or any(ch.isspace() for ch in name):
        raise AccountError(f"A user name is 1 to {MAX_NAME_LENGTH} characters without spaces.")
    if role not in ROLES:
        raise AccountError(f"The role is one of: {', '.join(ROLES)}.")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        with engine.begin() as db:
            result = db.execute(insert(users).values(
                name=name, password_hash=_HASHER.hash(password), role=role, created_at=now()))
    except IntegrityError:
        raise AccountError(f"The user {name!r} exists already.") from None
    return User(result.inserted_primary_key[0], name, role)


def set_password(engine: Engine, name: str, password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
    with engine.begin() as db:
        changed = db.execute(update(users).where(users.c.name == name)
                             .values(password_hash=_HASHER.hash(password))).rowcount
    if not changed:
        raise AccountError(f"There is no user {name!r}.")


def authenticate(engine: Engine, name: str, password: str) -> Optional[User]:
    """The user if the password is right. An unknown name costs the same time as a known one."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return None
    with engine.connect() as db:
        row = db.execute(select(users).where(users.c.name == name)).first()
    try:
        _HASHER.verify(row.password_hash if row else _UNUSED_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row.id, row.name, row.role) if row else None


def user_by_id(engine: Engine, user_id: int) -> Optional[User]:
    with engine.connect() as db:
        row = db.execute(select(users).where(users.c.id == user_id)).first()
    return User(row.id, row.name, row.role) if row else None


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise AccountError("The two passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Create a console user (or, with --reset, set a new password). "
        "The password is read from standard input.")
    parser.add_argument("name")
    parser.add_argument("--role", choices=ROLES, default="staff")
    parser.add_argument("--reset", action="store_true", help="set a new password")
    args = parser.parse_args()
    try:
        engine = connect(database_url(os.environ))
        password = _read_password()
        if args.reset:
            set_password(engine, args.name, password)
            print(f"New password set for {args.name}.")
        else:
            user = create_user(engine, args.name, password, args.role)
            print(f"Created {user.role} {user.name}.")
    except (AccountError, RuntimeError) as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
