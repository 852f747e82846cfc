"""Errors every layer shares. Each has a ``kind`` that crosses the host service protocol unchanged; a usage error
(bad input, unknown VM or job, a state that does not allow the operation) is exit code 2 on the command line,
anything else that fails is exit code 1."""

from __future__ import annotations


class BulkheadError(Exception):
    kind = "failed"


class UsageError(BulkheadError):
    kind = "usage"


class NotFound(UsageError):
    kind = "not_found"


class StateError(UsageError):
    kind = "state"


class OperationFailed(BulkheadError):
    kind = "failed"


class ProtocolError(BulkheadError):
    kind = "protocol"


class ServiceUnavailable(BulkheadError):
    kind = "unavailable"


ERROR_KINDS = {cls.kind: cls for cls in (UsageError, NotFound, StateError, OperationFailed, ProtocolError,
                                         ServiceUnavailable)}


def from_kind(kind: str, message: str) -> BulkheadError:
    return ERROR_KINDS.get(kind, OperationFailed)(message)
