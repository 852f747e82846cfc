"""What the wizard knows of the host it creates the VM on, and every decision it takes from that: which kinds of new
disk it offers, where a path is looked up, what memory and processors allow. Nothing here asks which product the
host is; it asks what the host can do (``conn.capabilities()``), what it allows (``conn.limits()``) and which of
the settings in core.model.spec.SETTINGS its kind of host takes (``Param.kinds``).

The wizard opens with what the session already knows and asks the host once, off the GUI thread, for its
capabilities and limits (``ask``); the pages follow when the answer arrives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from core.api import HostLimits, is_local_uri
from core.model.errors import BulkheadError
from core.model.params import KINDS
from core.model.spec import SETTING
from gui import validation as val

from .common import translate

VHD_KINDS = ("dynamic", "fixed")  # what disk.new makes on a host whose VMs take no new disk of their own


@dataclass
class HostFacts:
    kind: str  # a kind of host (core.model.params.KINDS): which settings it takes
    uri: str = ""  # how another process reaches it; "" for the local host service
    capabilities: dict = field(default_factory=lambda: {"reasons": {}})
    limits: HostLimits = field(default_factory=HostLimits)
    answered: bool = False  # the wizard's own question came back (until then: what the session knew)

    # --- what the host says --------------------------------------------------------------------------------
    def can(self, capability: str) -> bool:
        """The host offers ``capability`` (a key it leaves out is not refused)."""
        return capability not in (self.capabilities.get("reasons") or {}) and \
            self.capabilities.get(capability, True) is not False

    def why_not(self, capability: str) -> str:
        return (self.capabilities.get("reasons") or {}).get(capability, "")

    def takes(self, setting: str) -> bool:
        """This kind of host takes ``setting`` of vm.new (core.model.spec.SETTINGS, Param.kinds)."""
        return self.kind in SETTING[setting].kinds

    @property
    def files_here(self) -> bool:
        """The host's paths are this machine's (the local host service, a libvirt URI of this machine)."""
        return not self.uri or is_local_uri(self.uri)

    @property
    def where(self) -> str:
        """The host as messages name it."""
        return self.uri or translate("NewVmWizard", "this host")

    @property
    def machine(self) -> str:
        return urlsplit(self.uri).hostname or self.uri if self.uri else translate("NewVmWizard", "this host")

    # --- decisions ---------------------------------------------------------------------------------------------
    @property
    def disk_in_vm_job(self) -> bool:
        """The VM's own job makes its new disk (vm.new takes disk_size on this kind of host)."""
        return self.takes("disk_size") and self.can("new_vm")

    @property
    def disk_job(self) -> bool:
        """A new disk is a disk.new job before the VM's."""
        return not self.disk_in_vm_job and self.can("new_disk")

    @property
    def volumes(self) -> bool:
        """A new disk may be a volume in one of the host's storage pools."""
        return self.disk_in_vm_job and self.takes("pool") and self.can("pools")

    @property
    def qemu_file(self) -> bool:
        """A new disk may be a file made here by qemu-img in the VM's job (it names the disk by path)."""
        return self.disk_in_vm_job and self.files_here

    @property
    def can_create_disk(self) -> bool:
        return self.disk_job or self.volumes or self.qemu_file

    def no_new_disk(self) -> str:
        why = self.why_not("new_disk") or self.why_not("pools")
        if why:
            return translate("NewVmWizard", "This host cannot create a virtual hard disk: {why}.").format(why=why)
        return translate("NewVmWizard", "This host cannot create a virtual hard disk here: create it on the host, "
                                        "then use it as an existing disk.")

    @property
    def disk_formats(self) -> tuple[str, ...]:
        """The kinds of new disk offered: the formats vm.new takes in disk_format, or disk.new's VHD kinds."""
        if self.disk_in_vm_job:
            return val.QEMU_IMG_FORMATS
        return VHD_KINDS

    def images_folder(self) -> str:
        """Where libvirt keeps disk images by default for this (local) URI."""
        if urlsplit(self.uri).path.rstrip("/") == "/session":
            return os.path.expanduser("~/.local/share/libvirt/images")
        return "/var/lib/libvirt/images"


def host_kind(session, capabilities: dict) -> str:
    """The kind of host: as the host says (capabilities or host.info "kind"); a host that does not say yet is
    known by the session's key."""
    kind = capabilities.get("kind") or (session.host or {}).get("kind")
    if kind in KINDS:
        return kind
    return "libvirt" if getattr(session, "is_libvirt", False) else "bulkhead"


def initial(session) -> HostFacts:
    """What the session already knows (host.info and capabilities, fetched off the GUI thread), until the host's
    own answer arrives."""
    caps = dict(getattr(session, "capabilities", None) or {"reasons": {}})
    info = dict(session.host or {})
    cached = getattr(session, "limits", None)
    limits = cached if isinstance(cached, HostLimits) else val.provisional_limits(info)
    uri = info.get("uri") or ""
    if not uri and getattr(session, "is_libvirt", False):
        uri = str(getattr(session, "host_key", "")).removeprefix("libvirt:")
    return HostFacts(host_kind(session, caps), uri, caps, limits)


def ask(conn) -> tuple[dict, HostLimits | None, str]:
    """Worker: the host's capabilities, its limits (None from a host that does not report them yet) and its URI."""
    caps = conn.capabilities()
    try:
        limits = conn.limits()
    except BulkheadError:
        limits = None
    return caps, limits, conn.uri


def answered(facts: HostFacts, session, answer: tuple[dict, HostLimits | None, str]) -> HostFacts:
    caps, limits, uri = answer
    caps = caps if isinstance(caps, dict) else {"reasons": {}}
    return HostFacts(host_kind(session, caps), uri or facts.uri, caps, limits or facts.limits, answered=True)
