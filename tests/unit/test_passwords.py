"""Password policy and hashing: argon2id with OWASP parameters, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from passlib.hash import bcrypt  # type: ignore[import-untyped]

from jobwise.adapters.auth.passwords import PasswordHasher, check_password_policy

GOOD = "Correct7Horse"


@pytest.fixture(scope="module")
def hasher() -> Iterator[PasswordHasher]:
    made = PasswordHasher()
    yield made
    made.close()


def test_a_good_password_has_no_problems() -> None:
    assert check_password_policy(GOOD) == []


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Ab1", "at least 8 characters"),
        ("Ab1" + "x" * 1022, "at most 1,024 characters"),
        ("lowercase1", "upper-case"),
        ("UPPERCASE1", "lower-case"),
        ("NoDigitsHere", "digit"),
    ],
)
def test_policy_names_each_problem(password: str, problem: str) -> None:
    problems = check_password_policy(password)
    assert len(problems) == 1
    assert problem in problems[0]


def test_policy_reports_every_problem_at_once() -> None:
    assert len(check_password_policy("")) == 4  # short, no upper, no lower, no digit


def test_policy_limits_are_inclusive() -> None:
    assert check_password_policy("Abcdef1x") == []
    assert check_password_policy("Ab1" + "x" * 1021) == []


def test_policy_understands_other_scripts() -> None:
    # Upper/lower-case letters and a digit outside ASCII (Arabic-Indic three).
    assert check_password_policy("ÉcoleßÖ٣") == []
    assert check_password_policy("écoleßö٣") == ["Include at least one upper-case letter."]


async def test_hash_is_argon2id_with_owasp_parameters(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash(GOOD)
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await hasher.hash(GOOD) != hashed  # salted


async def test_verify_accepts_the_password_and_refuses_others(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash(GOOD)
    assert await hasher.verify(GOOD, hashed) == (True, None)
    assert await hasher.verify("correct7Horse", hashed) == (False, None)
    assert await hasher.verify("", hashed) == (False, None)


async def test_a_corrupt_hash_verifies_as_false(hasher: PasswordHasher) -> None:
    assert await hasher.verify(GOOD, "not a hash") == (False, None)
    assert await hasher.verify(GOOD, "$argon2id$v=19$m=19456,t=2,p=1$broken") == (False, None)


async def test_a_long_unicode_password_counts_in_full(hasher: PasswordHasher) -> None:
    password = "Pässwörd-😀-" * 10  # 110 characters, well over 72 bytes
    hashed = await hasher.hash(password)
    assert await hasher.verify(password, hashed) == (True, None)
    changed = password[:89] + "X" + password[90:]  # only the 90th character differs
    assert changed != password
    assert await hasher.verify(changed, hashed) == (False, None)


async def test_a_legacy_bcrypt_hash_verifies_and_asks_for_argon2id(hasher: PasswordHasher) -> None:
    legacy = bcrypt.using(rounds=4).hash(GOOD)
    ok, new_hash = await hasher.verify(GOOD, legacy)
    assert ok
    assert new_hash is not None
    assert new_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await hasher.verify(GOOD, new_hash) == (True, None)
    assert await hasher.verify("Wrong7Horse", legacy) == (False, None)


async def test_legacy_bcrypt_refuses_passwords_it_would_truncate(hasher: PasswordHasher) -> None:
    # bcrypt only sees the first 72 bytes, so a longer password sharing them
    # would pass. The hasher refuses rather than compare a prefix.
    prefix = "A1" + "a" * 70
    legacy = bcrypt.using(rounds=4).hash(prefix)
    ok, _ = await hasher.verify(prefix, legacy)
    assert ok
    assert await hasher.verify(prefix + "anything", legacy) == (False, None)


async def test_an_overlong_password_never_verifies(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash(GOOD)
    assert await hasher.verify(GOOD + "x" * 2000, hashed) == (False, None)


async def test_dummy_verify_checks_a_hash_of_the_same_cost(hasher: PasswordHasher) -> None:
    # The cost of an argon2 check is fixed by its scheme and parameters (memory, time,
    # lanes), so equal parameters mean equal work, told without a clock. The dummy also
    # must not be stale: a stale hash would add a rehash to the dummy's work.
    hashed = await hasher.hash(GOOD)
    dummy = hasher._dummy_hash
    assert dummy.rsplit("$", 2)[0] == hashed.rsplit("$", 2)[0]  # $argon2id$v=19$m=..,t=..,p=..
    assert not hasher._context.needs_update(dummy)
    await hasher.verify_dummy("Wrong7Horse")  # runs the same check as verify, and raises nothing


async def test_hashing_does_not_block_the_event_loop(hasher: PasswordHasher) -> None:
    # Told by order, not by a clock: a hash computed on the loop would finish within
    # the task's first step; off the loop, its result needs more turns of the loop to
    # come back, so right after that first step the task is still running.
    hashing = asyncio.create_task(hasher.hash(GOOD))
    await asyncio.sleep(0)
    assert not hashing.done()
    ok, _rehashed = await hasher.verify(GOOD, await hashing)
    assert ok
