"""Readers in the store: accounts, sessions, API tokens, follows and what each reader has read.

A mixin of :class:`~newsfold.store.Store`.  The store keeps only hashes of secrets (password
hashes come in already made; session and API tokens are kept as their SHA-256), so a copy of the
database gives no one a way in.  A single-user install has one implicit account, made on first
use by :meth:`ReadersMixin.default_account`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from newsfold.model import Account, Follow, FollowKind, FollowMode, StoryRead
from newsfold.store.schema import (
    accounts,
    api_tokens,
    follows,
    sessions,
    story_aliases,
    story_reads,
    time_column,
    time_value,
)

DEFAULT_ACCOUNT = "reader"
"""The name of the one account of a single-user install."""


class AccountExists(ValueError):
    """Creating an account under a name that is taken."""


class ReadersMixin:
    engine: Engine

    # -- accounts ----------------------------------------------------------------------------

    def create_account(self, name: str, password_hash: str | None) -> Account:
        """A new account; :class:`AccountExists` if the name is taken (names compare as typed)."""
        now = time_column(datetime.now(UTC))
        try:
            with self.engine.begin() as connection:
                key = connection.execute(
                    accounts.insert().values(name=name, password_hash=password_hash, created_at=now)
                ).inserted_primary_key
        except IntegrityError:
            raise AccountExists(f"there is already an account named {name!r}") from None
        assert key is not None
        found = self.account(int(key[0]))
        assert found is not None
        return found

    def account(self, ref: int | str) -> Account | None:
        """An account by id or by name."""
        column = accounts.c.id if isinstance(ref, int) else accounts.c.name
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(accounts).where(column == ref)).first()
        return _account(row._mapping) if row else None

    def accounts(self) -> list[Account]:
        with self.engine.connect() as connection:
            return [
                _account(r._mapping) for r in connection.execute(sa.select(accounts).order_by(accounts.c.id))
            ]

    def password_hash(self, name: str) -> tuple[Account, str] | None:
        """The account and its password hash, for a login to check (None: no such account, or
        an account with no password, which cannot log in)."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(accounts).where(accounts.c.name == name)).first()
        if row is None or not row.password_hash:
            return None
        return _account(row._mapping), str(row.password_hash)

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        """Change a password; every session of the account ends with it."""
        with self.engine.begin() as connection:
            connection.execute(
                accounts.update().where(accounts.c.id == account_id).values(password_hash=password_hash)
            )
            connection.execute(sessions.delete().where(sessions.c.account_id == account_id))

    def default_account(self) -> Account:
        """The implicit reader of a single-user install, made the first time it is asked for."""
        found = self.account(DEFAULT_ACCOUNT)
        if found is not None:
            return found
        try:
            return self.create_account(DEFAULT_ACCOUNT, None)
        except AccountExists:  # two requests raced to make it
            made = self.account(DEFAULT_ACCOUNT)
            assert made is not None
            return made

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, token_hash: str, account_id: int, csrf_token: str, expires: datetime) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            connection.execute(sessions.delete().where(sessions.c.expires_at <= time_column(now)))
            connection.execute(
                sessions.insert().values(
                    token_hash=token_hash,
                    account_id=account_id,
                    csrf_token=csrf_token,
                    created_at=time_column(now),
                    expires_at=time_column(expires),
                )
            )

    def session(self, token_hash: str, now: datetime) -> tuple[Account, str] | None:
        """The account a live session belongs to and the session's CSRF token."""
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(accounts, sessions.c.csrf_token)
                .join(sessions, sessions.c.account_id == accounts.c.id)
                .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > time_column(now))
            ).first()
        return (_account(row._mapping), str(row.csrf_token)) if row else None

    def end_session(self, token_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(sessions.delete().where(sessions.c.token_hash == token_hash))

    # -- API tokens --------------------------------------------------------------------------

    def add_api_token(self, token_hash: str, account_id: int, label: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                api_tokens.insert().values(
                    token_hash=token_hash,
                    account_id=account_id,
                    label=label,
                    created_at=time_column(datetime.now(UTC)),
                )
            )

    def api_token_account(self, token_hash: str) -> Account | None:
        """The account a token acts for (and the token's last use is noted), or None."""
        now = time_column(datetime.now(UTC))
        with self.engine.begin() as connection:
            row = connection.execute(
                sa.select(accounts)
                .join(api_tokens, api_tokens.c.account_id == accounts.c.id)
                .where(api_tokens.c.token_hash == token_hash)
            ).first()
            if row is None:
                return None
            connection.execute(
                api_tokens.update().where(api_tokens.c.token_hash == token_hash).values(last_used=now)
            )
        return _account(row._mapping)

    def api_tokens(self) -> list[dict[str, str | None]]:
        """Every token's label, owner and dates (never the token: only its hash is kept)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(api_tokens, accounts.c.name)
                .join(accounts, accounts.c.id == api_tokens.c.account_id)
                .order_by(api_tokens.c.created_at, api_tokens.c.label)
            ).all()
        return [
            {
                "label": r.label,
                "account": r.name,
                "created": r.created_at,
                "last_used": r.last_used,
                "hash_prefix": r.token_hash[:8],
            }
            for r in rows
        ]

    def revoke_api_tokens(self, label: str) -> int:
        """Revoke every token with this label; returns how many there were."""
        with self.engine.begin() as connection:
            return int(connection.execute(api_tokens.delete().where(api_tokens.c.label == label)).rowcount)

    # -- follows -----------------------------------------------------------------------------

    def set_follow(self, account_id: int, kind: FollowKind, value: str, mode: FollowMode) -> Follow:
        """Follow or mute something (a second call switches the mode; the value is kept as given)."""
        now = datetime.now(UTC)
        key = (follows.c.account_id == account_id, follows.c.kind == kind.value, follows.c.value == value)
        with self.engine.begin() as connection:
            updated = connection.execute(follows.update().where(*key).values(mode=mode.value)).rowcount
            if not updated:
                connection.execute(
                    follows.insert().values(
                        account_id=account_id,
                        kind=kind.value,
                        value=value,
                        mode=mode.value,
                        created_at=time_column(now),
                    )
                )
            created = connection.execute(sa.select(follows.c.created_at).where(*key)).scalar_one()
        return Follow(kind, value, mode, _time(created))

    def remove_follow(self, account_id: int, kind: FollowKind, value: str) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                follows.delete().where(
                    follows.c.account_id == account_id, follows.c.kind == kind.value, follows.c.value == value
                )
            )
        return bool(result.rowcount)

    def follows(self, account_id: int) -> list[Follow]:
        """What the account follows and mutes, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(follows)
                .where(follows.c.account_id == account_id)
                .order_by(follows.c.created_at, follows.c.kind, follows.c.value)
            ).all()
        return [Follow(FollowKind(r.kind), r.value, FollowMode(r.mode), _time(r.created_at)) for r in rows]

    # -- reads -------------------------------------------------------------------------------

    def mark_read(
        self,
        account_id: int,
        story_id: str,
        article_ids: Iterable[str],
        outlets: Iterable[str],
        when: datetime,
    ) -> None:
        """Remember what the reader has now seen of a story (replacing the previous visit)."""
        values = {
            "read_at": time_column(when),
            "article_ids": sorted(set(article_ids)),
            "outlets": sorted(set(outlets)),
        }
        key = (story_reads.c.account_id == account_id, story_reads.c.story_id == story_id)
        with self.engine.begin() as connection:
            if not connection.execute(story_reads.update().where(*key).values(**values)).rowcount:
                connection.execute(
                    story_reads.insert().values(account_id=account_id, story_id=story_id, **values)
                )

    def last_read(self, account_id: int, story_id: str) -> StoryRead | None:
        """The reader's previous visit to a story, or to any story merged into it since (the
        latest such visit: it is what they last saw of the event)."""
        merged = sa.select(story_aliases.c.story_id).where(story_aliases.c.merged_into == story_id)
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(story_reads)
                .where(
                    story_reads.c.account_id == account_id,
                    sa.or_(story_reads.c.story_id == story_id, story_reads.c.story_id.in_(merged)),
                )
                .order_by(story_reads.c.read_at.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return StoryRead(row.story_id, _time(row.read_at), frozenset(row.article_ids), frozenset(row.outlets))

    def last_reads(self, account_id: int) -> dict[str, StoryRead]:
        """Every story the reader has visited, by story id."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(story_reads).where(story_reads.c.account_id == account_id)
            ).all()
        return {
            r.story_id: StoryRead(
                r.story_id, _time(r.read_at), frozenset(r.article_ids), frozenset(r.outlets)
            )
            for r in rows
        }


def _time(value: str) -> datetime:
    parsed = time_value(value)
    assert parsed is not None
    return parsed


def _account(row: RowMapping) -> Account:
    return Account(int(row["id"]), str(row["name"]), _time(row["created_at"]))
