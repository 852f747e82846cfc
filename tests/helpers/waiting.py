"""Polling with a deadline: the waits the tests share (each says what it waited for when it times out)."""

from __future__ import annotations

from benchmarks.common import wait_until as _wait_until


def wait_until(pred, timeout: float, what: str = "condition", poll: float = 0.05,
               message: str = "{what} not within {timeout:g} s"):
    """Call ``pred`` every ``poll`` seconds until it returns something true, and return that; past ``timeout``
    seconds raise AssertionError(``message`` filled in with what and timeout)."""
    return _wait_until(pred, timeout, message.format(what=what, timeout=timeout), poll)


def wait(predicate, timeout: float = 10.0, what: str = "condition", poll: float = 0.05) -> None:
    """Wait for ``predicate`` to hold; past ``timeout`` seconds fail with "timed out waiting for <what>"."""
    wait_until(predicate, timeout, what, poll, "timed out waiting for {what}")
