"""Readers in the store: accounts, sessions, API tokens, follows and reads, one account's apart from another's.

Session times are relative to the real clock: starting a session purges those already expired now.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from newsfold.model import FollowKind, FollowMode, StoryRead
from newsfold.store import DEFAULT_ACCOUNT, AccountExists, open_store, schema
from newsfold.store.schema import MIGRATIONS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# -- accounts --------------------------------------------------------------------------------


def test_an_account_is_found_by_id_and_by_name_and_its_name_is_taken(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "hash-a")
        assert ada.name == "ada"
        with pytest.raises(AccountExists, match="ada"):
            store.create_account("ada", "other")
        assert store.account(ada.id) == ada
        assert store.account("ada") == ada
        assert store.account("nobody") is None
        assert store.account(ada.id + 1) is None


def test_accounts_are_listed_in_id_order(store_url: str) -> None:
    with open_store(store_url) as store:
        made = [store.create_account(name, None) for name in ("zoe", "ada", "max")]
        assert store.accounts() == made
        assert [a.id for a in made] == sorted(a.id for a in made)


def test_the_default_account_is_made_once_and_has_no_password(store_url: str) -> None:
    with open_store(store_url) as store:
        reader = store.default_account()
        assert reader.name == DEFAULT_ACCOUNT
        assert store.default_account() == reader
        assert store.accounts() == [reader]
        assert store.password_hash(DEFAULT_ACCOUNT) is None


def test_password_hash_gives_the_account_with_its_hash(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "hash-a")
        assert store.password_hash("ada") == (ada, "hash-a")
        assert store.password_hash("nobody") is None


def test_changing_a_password_ends_the_accounts_sessions_only(store_url: str) -> None:
    now = datetime.now(UTC)
    with open_store(store_url) as store:
        ada = store.create_account("ada", "old")
        bob = store.create_account("bob", "bob's")
        store.start_session(_hash("ada-cookie"), ada.id, "csrf-a", now + timedelta(hours=1))
        store.start_session(_hash("bob-cookie"), bob.id, "csrf-b", now + timedelta(hours=1))
        store.set_password_hash(ada.id, "new")
        assert store.password_hash("ada") == (ada, "new")
        assert store.session(_hash("ada-cookie"), now) is None
        assert store.session(_hash("bob-cookie"), now) == (bob, "csrf-b")


# -- sessions --------------------------------------------------------------------------------


def test_a_session_gives_its_account_and_csrf_token_until_it_expires(store_url: str) -> None:
    now = datetime.now(UTC)
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.start_session(_hash("cookie"), ada.id, "csrf", now + timedelta(hours=1))
        assert store.session(_hash("cookie"), now) == (ada, "csrf")
        assert store.session(_hash("cookie"), now + timedelta(hours=2)) is None
        assert store.session(_hash("another cookie"), now) is None


def test_an_ended_session_is_gone(store_url: str) -> None:
    now = datetime.now(UTC)
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.start_session(_hash("cookie"), ada.id, "csrf", now + timedelta(hours=1))
        store.end_session(_hash("cookie"))
        assert store.session(_hash("cookie"), now) is None


def test_expired_sessions_are_purged_when_another_starts(store_url: str) -> None:
    now = datetime.now(UTC)
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")

        def kept() -> list[str]:
            with store.engine.connect() as connection:
                return list(connection.execute(sa.select(schema.sessions.c.token_hash)).scalars())

        store.start_session(_hash("stale"), ada.id, "csrf", now - timedelta(minutes=1))
        assert kept() == [_hash("stale")]
        store.start_session(_hash("fresh"), ada.id, "csrf", now + timedelta(hours=1))
        assert kept() == [_hash("fresh")]


# -- API tokens ------------------------------------------------------------------------------


def test_an_api_token_acts_for_its_account_and_notes_its_use(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.add_api_token(_hash("token"), ada.id, "laptop")
        (listed,) = store.api_tokens()
        assert (listed["label"], listed["account"], listed["last_used"]) == ("laptop", "ada", None)
        assert store.api_token_account(_hash("token")) == ada
        (used,) = store.api_tokens()
        assert used["last_used"] is not None
        assert store.api_token_account(_hash("unknown")) is None


def test_api_tokens_list_only_a_prefix_of_the_hash(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.add_api_token(_hash("token"), ada.id, "laptop")
        (listed,) = store.api_tokens()
        assert listed["hash_prefix"] == _hash("token")[:8]
        assert not any(_hash("token")[:9] in str(value) for value in listed.values())


def test_revoking_a_label_counts_the_tokens_and_stops_them(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.add_api_token(_hash("one"), ada.id, "laptop")
        store.add_api_token(_hash("two"), ada.id, "laptop")
        store.add_api_token(_hash("three"), ada.id, "phone")
        assert store.revoke_api_tokens("laptop") == 2
        assert store.revoke_api_tokens("laptop") == 0
        assert store.api_token_account(_hash("one")) is None
        assert store.api_token_account(_hash("three")) == ada
        assert [t["label"] for t in store.api_tokens()] == ["phone"]


# -- follows ---------------------------------------------------------------------------------


def test_a_follow_is_listed(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        follow = store.set_follow(ada.id, FollowKind.SOURCE, "The Herald", FollowMode.FOLLOW)
        assert store.follows(ada.id) == [follow]


def test_following_again_switches_the_mode_without_a_duplicate(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.set_follow(ada.id, FollowKind.ENTITY, "Edi Rama", FollowMode.FOLLOW)
        store.set_follow(ada.id, FollowKind.ENTITY, "Edi Rama", FollowMode.MUTE)
        (only,) = store.follows(ada.id)
        assert (only.kind, only.value, only.mode) == (FollowKind.ENTITY, "Edi Rama", FollowMode.MUTE)


def test_remove_follow_says_whether_there_was_one(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.set_follow(ada.id, FollowKind.KEYWORD, "tariffs", FollowMode.FOLLOW)
        assert store.remove_follow(ada.id, FollowKind.KEYWORD, "tariffs")
        assert not store.remove_follow(ada.id, FollowKind.KEYWORD, "tariffs")
        assert store.follows(ada.id) == []


def test_follows_are_per_account(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        bob = store.create_account("bob", "h")
        adas = store.set_follow(ada.id, FollowKind.STORY, "s1", FollowMode.FOLLOW)
        bobs = store.set_follow(bob.id, FollowKind.STORY, "s1", FollowMode.MUTE)
        assert store.follows(ada.id) == [adas]
        assert store.follows(bob.id) == [bobs]
        assert store.remove_follow(bob.id, FollowKind.STORY, "s1")
        assert store.follows(ada.id) == [adas]


# -- reads -----------------------------------------------------------------------------------


def test_a_read_is_remembered_as_sets_of_articles_and_outlets(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        assert store.last_read(ada.id, "s1") is None
        store.mark_read(ada.id, "s1", ["a2", "a1", "a2"], ["Herald", "Wire"], T0)
        assert store.last_read(ada.id, "s1") == StoryRead(
            "s1", T0, frozenset({"a1", "a2"}), frozenset({"Herald", "Wire"})
        )


def test_a_second_read_replaces_the_first(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.mark_read(ada.id, "s1", ["a1"], ["Herald"], T0)
        later = T0 + timedelta(hours=3)
        store.mark_read(ada.id, "s1", ["a1", "a3"], ["Herald", "Post"], later)
        assert store.last_read(ada.id, "s1") == StoryRead(
            "s1", later, frozenset({"a1", "a3"}), frozenset({"Herald", "Post"})
        )
        assert list(store.last_reads(ada.id)) == ["s1"]


def test_last_reads_maps_each_story_read_by_this_account(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        bob = store.create_account("bob", "h")
        store.mark_read(ada.id, "s1", ["a1"], ["Herald"], T0)
        store.mark_read(ada.id, "s2", ["a7"], ["Wire"], T0)
        store.mark_read(bob.id, "s3", ["a9"], ["Post"], T0)
        assert store.last_reads(ada.id) == {
            "s1": StoryRead("s1", T0, frozenset({"a1"}), frozenset({"Herald"})),
            "s2": StoryRead("s2", T0, frozenset({"a7"}), frozenset({"Wire"})),
        }
        assert store.last_read(bob.id, "s1") is None


def test_last_read_finds_a_visit_to_a_story_merged_into_it(store_url: str) -> None:
    with open_store(store_url) as store:
        ada = store.create_account("ada", "h")
        store.mark_read(ada.id, "old", ["a1"], ["Herald"], T0)
        with store.engine.begin() as connection:
            connection.execute(
                schema.story_aliases.insert().values(
                    story_id="old", merged_into="new", similarity=0.5, reason="test", merged_at=T0.isoformat()
                )
            )
        assert store.last_read(ada.id, "new") == StoryRead(
            "old", T0, frozenset({"a1"}), frozenset({"Herald"})
        )
        store.mark_read(ada.id, "new", ["a1", "a2"], ["Herald", "Wire"], T0 + timedelta(hours=1))
        found = store.last_read(ada.id, "new")
        assert found is not None
        assert found.story_id == "new"  # the latest visit is what they last saw of the event


# -- schema ----------------------------------------------------------------------------------


def test_a_version_5_database_gains_the_reader_tables(store_url: str) -> None:
    url = store_url
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # the schema as it was before readers
        schema.schema_migrations.create(connection)
        for version, step in enumerate(MIGRATIONS[:5], start=1):
            step(connection)
            connection.execute(
                schema.schema_migrations.insert().values(version=version, applied_at=T0.isoformat())
            )
    engine.dispose()
    with open_store(url) as store:
        assert store.schema_version == len(MIGRATIONS)
        reader = store.default_account()
        store.set_follow(reader.id, FollowKind.KEYWORD, "tariffs", FollowMode.FOLLOW)
        store.mark_read(reader.id, "s1", ["a1"], ["Herald"], T0)
        assert [f.value for f in store.follows(reader.id)] == ["tariffs"]
        assert list(store.last_reads(reader.id)) == ["s1"]
