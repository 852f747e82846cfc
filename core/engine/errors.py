"""Errors of the partition engine that cross module boundaries."""


class GuestFault(Exception):
    """Something the guest did that the engine cannot serve; the partition goes Critical with this reason."""


class BackendUnavailable(RuntimeError):
    """A hypervisor backend that cannot run partitions on this host; the message says why."""
