"""Erasing an account: the right to be forgotten, in a log that is never rewritten.

A user's personal event data is sealed with the user's own key, kept outside the log.
Erasure destroys that key: every event the user caused stays where it is (the chain
still verifies) but can no longer be read. What erasure did is itself recorded, on the
account's ``erasure-<user id>`` stream, in events that hold no personal data:

* ``AccountErasureStarted``: the password was checked; nothing may be written for the
  user from here on, and a crash resumes the erasure from this event.
* ``EmailReleased`` (on the address's reservation stream): the address may register again.
* ``AccountErased``: the key is gone and so are the read models, files and sessions.

An event whose key is gone reaches aggregates, projections and queries *erased*: its
type and place are kept, its data is empty, and ``is_erased`` says so; each skips it.
"""

from __future__ import annotations

from jobwise.domain.errors import Forbidden, Unauthenticated
from jobwise.domain.events import DomainEvent, RecordedEvent

STREAM_TYPE = "erasure"
ERASED_MARK = "erased"
"""The metadata flag an opened event carries when its key was destroyed."""


def erasure_stream(user_id: str) -> str:
    return f"erasure-{user_id}"


class AccountErasureStarted(DomainEvent, topic="AccountErasureStarted"):
    user_id: str
    email_stream: str
    """The stream reserving the account's address (a keyed hash: no address in it)."""


class EmailReleased(DomainEvent, topic="EmailReleased"):
    """The address's reservation no longer holds: no address here, only whose it was."""

    user_id: str


class AccountErased(DomainEvent, topic="AccountErased"):
    user_id: str
    read_models_removed: int
    files_removed: int
    sessions_ended: int


UNSEALED_TOPICS = frozenset({AccountErasureStarted.topic, EmailReleased.topic, AccountErased.topic})
"""Events that must stay readable after the key is destroyed (they hold no personal data)."""


class AccountErasedError(Unauthenticated):
    """Something was to be written for, or done as, an account that was erased."""

    code = "account_erased"
    message = "This account was deleted."

    def __init__(self, user_id: str) -> None:
        super().__init__()
        self.details = {}
        self.user_id = user_id


class WrongPassword(Forbidden):
    """The password given to confirm a deletion is not the account's."""

    code = "wrong_password"
    message = "The password is incorrect."


def is_erased(event: RecordedEvent) -> bool:
    """True when ``event`` was opened after its owner's key was destroyed."""
    return bool((event.metadata.model_extra or {}).get(ERASED_MARK))
