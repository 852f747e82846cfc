"""The one method registry: every kind of host marks the functions that implement the declared methods
(core/model/methods.py) with ``@implements("vm.new")``, and everything else comes from here:

- ``dispatch(host, method, params)``: what the socket server, embedded connections and the libvirt transport call.
  The method must be declared (else "unknown method"); the host must implement it and not refuse its capability
  (else ``Unavailable`` with the host's reason, never "unknown method"); every parameter is checked for type and
  range first (a wrong type, NaN, infinity or an out-of-range number is a usage error before anything runs).
- ``capabilities(host)``: {capability: bool, ..., "reasons": {capability: why not}} for the console and the CLI.
- ``implemented(host_class)``: the methods a kind of host has.

A host class may define ``refusal(capability) -> str | None`` (why it cannot do that now, or at all) and
``describe_kind`` (how refusals name it, e.g. "libvirt connections").
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable

from core.model.errors import BulkheadError, OperationFailed, StateError, Unavailable, UsageError
from core.model.methods import CAPABILITIES, METHODS, Method
from core.model.params import check_params
from core.model.states import TransitionError

JSON_DEPTH_MAX = 64

_ATTR = "__host_method__"


def implements(method: str) -> Callable:
    """Mark a host's function as the implementation of the declared ``method``."""
    if method not in METHODS:
        raise AssertionError(f"{method} is not declared in core/model/methods.py")

    def mark(fn):
        names = getattr(fn, _ATTR, ())
        setattr(fn, _ATTR, (*names, method))
        return fn

    return mark


_TABLES: dict[type, dict[str, str]] = {}


def implemented(cls: type) -> dict[str, str]:
    """{method: attribute name} of every declared method ``cls`` implements (cached per class)."""
    table = _TABLES.get(cls)
    if table is None:
        table = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                for method in getattr(value, _ATTR, ()):
                    table[method] = attr
        _TABLES[cls] = table
    return table


def kind_words(host) -> str:
    return getattr(host, "describe_kind", None) or f"{getattr(host, 'kind', 'this')} hosts"


def refusal(host, method: Method, params: dict | None = None) -> str | None:
    """Why ``host`` will not run ``method`` (with ``params``): not implemented, or its capability refused."""
    if method.name not in implemented(type(host)):
        reason = _reason(host, method.capability_for(params or {}) or method.name)
        return reason or f"{kind_words(host)} do not offer {method.title or method.name}"
    capability = method.capability_for(params or {})
    return _reason(host, capability) if capability else None


def _reason(host, capability: str) -> str | None:
    fn = getattr(host, "refusal", None)
    return fn(capability) if fn else None


def check_depth(value: Any, depth: int = 0, where: str = "request") -> None:
    """UsageError for data nested deeper than JSON_DEPTH_MAX (a request cannot make the host recurse without end)
    and for NaN or infinity anywhere in it; ``where`` names the parameter in the message."""
    if depth > JSON_DEPTH_MAX:
        raise UsageError(f"{where}: nested deeper than {JSON_DEPTH_MAX} levels")
    if isinstance(value, dict):
        for v in value.values():
            check_depth(v, depth + 1, where)
    elif isinstance(value, list):
        for v in value:
            check_depth(v, depth + 1, where)
    elif isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"{where} must be a finite number (got {value})", code="param.invalid")


def dispatch(host, method: str, params: dict | None) -> Any:
    """Run ``method`` on ``host`` with keyword ``params`` after checking them; errors are BulkheadErrors."""
    declared = METHODS.get(method) if isinstance(method, str) else None
    if declared is None:
        raise UsageError(f"unknown method '{method}'" if isinstance(method, str) else "method must be text")
    params = {} if params is None else params
    if not isinstance(params, dict):
        raise UsageError("params must be an object")
    for key, value in params.items():
        check_depth(value, 1, f"{method}: {key}")
    if method not in implemented(type(host)):
        raise Unavailable(f"{method} is not available on {kind_words(host)}: {refusal(host, declared, params)}",
                          method=method)
    checked = check_params(method, declared.params, params, kind=getattr(host, "kind", None), doing=declared.doing)
    capability = declared.capability_for(checked)
    reason = _reason(host, capability) if capability else None
    if reason:
        raise Unavailable(reason, method=method, capability=capability)
    fn = getattr(host, implemented(type(host))[method])
    try:
        return fn(**checked)
    except TransitionError as e:
        raise StateError(str(e), code="vm.state") from None
    except BulkheadError:
        raise
    except Exception as e:  # a host's own library errors (libvirtError, OSError) become one-line BulkheadErrors
        converted = getattr(host, "convert_error", None)
        error = converted(e) if converted is not None else None
        if error is not None:
            raise error from None
        raise


def call_json(host, method: str, params: dict | None) -> Any:
    """``dispatch`` with the same JSON round trip as over a socket, so in-process hosts behave as remote ones."""
    try:
        params = json.loads(json.dumps(params or {}))
    except (TypeError, ValueError) as e:
        raise UsageError(f"params are not JSON: {e}") from None
    return json.loads(json.dumps(dispatch(host, method, params)))


def capabilities(host) -> dict:
    """{capability: bool, ..., "reasons": {capability: why not}} from the registry and the host's refusals."""
    have = implemented(type(host))
    reasons: dict[str, str] = {}
    for key in CAPABILITIES:
        methods = [m for m in METHODS.values() if m.capability == key]
        missing = [m for m in methods if m.name not in have]
        if methods and len(missing) == len(methods) and key not in ("shut_down", "turn_off", "save"):
            reasons[key] = _reason(host, key) or f"{kind_words(host)} do not offer {missing[0].title}"
            continue
        if key in ("shut_down", "turn_off", "save") and "vm.stop" not in have:
            reasons[key] = _reason(host, key) or f"{kind_words(host)} cannot stop VMs"
            continue
        why = _reason(host, key)
        if why:
            reasons[key] = why
    out: dict[str, Any] = {key: key not in reasons for key in CAPABILITIES}
    out["reasons"] = reasons
    out["kind"] = getattr(host, "kind", "")  # which settings of core.model.spec it takes (Param.kinds)
    return out


def require(host, capability: str) -> None:
    """Unavailable with the host's reason if it refuses ``capability``."""
    why = _reason(host, capability)
    if why:
        raise Unavailable(why, capability=capability)


__all__ = ["OperationFailed", "call_json", "capabilities", "check_depth", "dispatch", "implemented", "implements",
           "refusal", "require"]
