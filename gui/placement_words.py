"""The lines core builds in English for placement (a host's rating explained, why a host cannot take a VM, a move's
precheck rows) in the console's language.

core makes each such line a ``core.model.phrase.Phrase``: its English text, its template and the values of the
template's placeholders. ``text(line)`` translates the template (context "Placement") and fills in the values (a
value that is a Phrase too is translated the same way). A plain string (a precheck's rows cross the protocol from
the destination as text) is read back into the Phrase it is by the templates' patterns; one no template reads, or a
template with no translation, is shown as it is. ``TEMPLATES`` lists every template core can make, so that lupdate
collects them for the translators (tests/test_phrases.py fails when core makes one that is not listed here).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from PySide6.QtCore import QLocale

from core.model.phrase import SEPARATOR, Phrase
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.vmstates import state_text

__all__ = ["CONTEXT", "TEMPLATES", "text"]

CONTEXT = "Placement"

TEMPLATES = (
    # core/hosts/rating.py: the explanation of a rating
    QT_TRANSLATE_NOOP("Placement", "{stars} stars for load balancing: {shown} in use with this VM"),
    QT_TRANSLATE_NOOP("Placement", "{stars} stars for load balancing"),
    QT_TRANSLATE_NOOP("Placement", "{stars} stars for resource maximization: {shown} in use with this VM"),
    QT_TRANSLATE_NOOP("Placement", "{stars} stars for resource maximization"),
    QT_TRANSLATE_NOOP("Placement", "cpu {percent}"),
    QT_TRANSLATE_NOOP("Placement", "memory {percent}"),
    QT_TRANSLATE_NOOP("Placement", "disk {percent}"),
    QT_TRANSLATE_NOOP("Placement", "network {percent}"),
    QT_TRANSLATE_NOOP("Placement", "Memory: not reported by this host"),
    QT_TRANSLATE_NOOP("Placement", "Memory: {free} free of {total}, {after} after"),
    QT_TRANSLATE_NOOP("Placement", "Memory: {free} free of {total}"),
    QT_TRANSLATE_NOOP("Placement", "CPU: no load measured yet on this host"),
    QT_TRANSLATE_NOOP("Placement", "CPU: {mean} % on average over the window, {after} % with this VM "
                                   "({cpus} logical processors)"),
    QT_TRANSLATE_NOOP("Placement", "CPU would be over-committed ({after} %): the VM's guests would wait for "
                                   "processor time"),
    QT_TRANSLATE_NOOP("Placement", "Disk: {free} free of {total}, {need} needed"),
    QT_TRANSLATE_NOOP("Placement", "Disk space: not reported by this host"),
    QT_TRANSLATE_NOOP("Placement", "Disk I/O: {iops} IOPS with this VM of {capacity}"),
    QT_TRANSLATE_NOOP("Placement", "Network: not reported by this host"),
    QT_TRANSLATE_NOOP("Placement", "Network: {mbps} Mbps with this VM of {capacity} Mbps"),
    QT_TRANSLATE_NOOP("Placement", "Backend: {backend}"),
    QT_TRANSLATE_NOOP("Placement", "Backend: CPU emulation: the guest will run slower under emulation (fewer stars)"),
    QT_TRANSLATE_NOOP("Placement", "The VM runs here now: only its storage can move"),
    QT_TRANSLATE_NOOP("Placement", "Not measured for this VM, SCVMM's defaults assumed: {defaults}"),
    QT_TRANSLATE_NOOP("Placement", "CPU 20 %"),
    QT_TRANSLATE_NOOP("Placement", "disk 2 GB"),
    QT_TRANSLATE_NOOP("Placement", "0 IOPS"),
    QT_TRANSLATE_NOOP("Placement", "0 Mbps"),
    # core/hosts/rating.py and core/api/placement.py: why a host cannot take the VM
    QT_TRANSLATE_NOOP("Placement", "cannot reach {host}: {why}"),
    QT_TRANSLATE_NOOP("Placement", "no answer"),
    QT_TRANSLATE_NOOP("Placement", "a libvirt host cannot run this engine's VMs: choose a Bulkhead host"),
    QT_TRANSLATE_NOOP("Placement", "the embedded engine cannot boot a libvirt domain's operating system: choose a "
                                   "libvirt host"),
    QT_TRANSLATE_NOOP("Placement", "the VM has {memory} of memory; this host allows at most {most} per VM"),
    QT_TRANSLATE_NOOP("Placement", "the VM needs {need} of memory; this host has {free} free"),
    QT_TRANSLATE_NOOP("Placement", "the VM has {vcpus} virtual processors; this host allows at most {most}"),
    QT_TRANSLATE_NOOP("Placement", "the VM needs {need} of disk space; this host has {free} free"),
    QT_TRANSLATE_NOOP("Placement", "this host takes no moves now: {why}"),
    QT_TRANSLATE_NOOP("Placement", "refused"),
    # core/hosts/precheck.py: a move's precheck rows (text and what to do)
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' is {state}: it cannot move now"),
    QT_TRANSLATE_NOOP("Placement", "in an unknown state"),
    QT_TRANSLATE_NOOP("Placement", "wait until it is Running, Paused, Off or Saved"),
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' is {state}: a live move needs it Running or Paused"),
    QT_TRANSLATE_NOOP("Placement", "start it, or move it with --type quick (its files are copied)"),
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' is {state}: it keeps running during the move"),
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' is {state}: it is saved, moved and restored (it is down meanwhile)"),
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' is {state}: its files are copied"),
    QT_TRANSLATE_NOOP("Placement", "a libvirt host cannot run this engine's VMs"),
    QT_TRANSLATE_NOOP("Placement", "choose a Bulkhead host"),
    QT_TRANSLATE_NOOP("Placement", "the embedded engine cannot boot a libvirt domain's operating system"),
    QT_TRANSLATE_NOOP("Placement", "choose a libvirt host (the move uses libvirt's own migration)"),
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' is on this host: only its storage moves"),
    QT_TRANSLATE_NOOP("Placement", "VM '{vm}' (the same VM, id {id}) is already on the destination"),
    QT_TRANSLATE_NOOP("Placement", "choose another host, or move only its storage (--type storage)"),
    QT_TRANSLATE_NOOP("Placement", "the destination already has a VM named '{vm}'"),
    QT_TRANSLATE_NOOP("Placement", "rename the VM or remove '{vm}' on the destination"),
    QT_TRANSLATE_NOOP("Placement", "the name '{vm}' is free on the destination"),
    QT_TRANSLATE_NOOP("Placement", "the VM has {memory} of memory; the destination allows at most {most} per VM"),
    QT_TRANSLATE_NOOP("Placement", "lower the VM's memory to {most} or less"),
    QT_TRANSLATE_NOOP("Placement", "the destination does not report its free memory"),
    QT_TRANSLATE_NOOP("Placement", "check it has room for the VM"),
    QT_TRANSLATE_NOOP("Placement", "the destination has {free} of memory free; the VM needs {need} to start"),
    QT_TRANSLATE_NOOP("Placement", "free {size} on the destination before starting it there"),
    QT_TRANSLATE_NOOP("Placement", "the destination has {free} of memory free; the VM needs {need}"),
    QT_TRANSLATE_NOOP("Placement", "free {size} on the destination"),
    QT_TRANSLATE_NOOP("Placement", "memory: the VM needs {need}; the destination has {free} free"),
    QT_TRANSLATE_NOOP("Placement", "the VM has {n} virtual processors; the destination allows at most {most}"),
    QT_TRANSLATE_NOOP("Placement", "set the VM's processors to {most} or fewer"),
    QT_TRANSLATE_NOOP("Placement", "{n} virtual processor; the destination has {cpus} logical processors"),
    QT_TRANSLATE_NOOP("Placement", "{n} virtual processors; the destination has {cpus} logical processors"),
    QT_TRANSLATE_NOOP("Placement", "{n} virtual processor"),
    QT_TRANSLATE_NOOP("Placement", "{n} virtual processors"),
    QT_TRANSLATE_NOOP("Placement", "the destination runs guests under CPU emulation: the guest will run slower there "
                                   "(it uses KVM here now)"),
    QT_TRANSLATE_NOOP("Placement", "the destination runs guests under CPU emulation: the guest will run slower there"),
    QT_TRANSLATE_NOOP("Placement", "move it to a host with KVM for full speed"),
    QT_TRANSLATE_NOOP("Placement", "the destination uses hardware virtualization (KVM)"),
    QT_TRANSLATE_NOOP("Placement", "the destination's backend: {backend}"),
    QT_TRANSLATE_NOOP("Placement", "the source does not say which migration stream formats it sends"),
    QT_TRANSLATE_NOOP("Placement", "update Bulkhead on the source"),
    QT_TRANSLATE_NOOP("Placement", "no common migration stream format (Bulkhead {source} to {destination}: the "
                                   "source sends {sent}, the destination reads {read})"),
    QT_TRANSLATE_NOOP("Placement", "update Bulkhead so both hosts run the same version"),
    QT_TRANSLATE_NOOP("Placement", "migration stream format {format} (Bulkhead {source} to {destination})"),
    QT_TRANSLATE_NOOP("Placement", "none"),
    QT_TRANSLATE_NOOP("Placement", "the guest image is the bundled one, present on the destination"),
    QT_TRANSLATE_NOOP("Placement", "the guest image {path} is present on the destination"),
    QT_TRANSLATE_NOOP("Placement", "a network adapter that is not connected stays so"),
    QT_TRANSLATE_NOOP("Placement", "adapter on '{source}' is mapped to switch '{switch}' on the destination"),
    QT_TRANSLATE_NOOP("Placement", "adapter on '{source}' connects to switch '{switch}' on the destination"),
    QT_TRANSLATE_NOOP("Placement", "adapter '{source}' is mapped to switch '{switch}', which the destination does not "
                                   "have (it has: {have})"),
    QT_TRANSLATE_NOOP("Placement", "map adapter '{source}' to a switch on the destination"),
    QT_TRANSLATE_NOOP("Placement", "the destination has no virtual switch '{source}' (it has: {have})"),
    QT_TRANSLATE_NOOP("Placement", "map adapter '{source}' to a switch on the destination (--network-map "
                                   "{source}=SWITCH)"),
    QT_TRANSLATE_NOOP("Placement", "network map: no adapter of the VM is on '{source}'"),
    QT_TRANSLATE_NOOP("Placement", "remove {source}={switch} from the network map"),
    QT_TRANSLATE_NOOP("Placement", "the destination folder"),
    QT_TRANSLATE_NOOP("Placement", "choose another folder (--path DIR)"),
    QT_TRANSLATE_NOOP("Placement", "the free space in {path} is not known"),
    QT_TRANSLATE_NOOP("Placement", "{path} has {free} free; the move needs {need}"),
    QT_TRANSLATE_NOOP("Placement", "free {size} in {path} or choose another folder (--path DIR)"),
    QT_TRANSLATE_NOOP("Placement", "{path} (it will be made): {free} free, the move needs {need}"),
    QT_TRANSLATE_NOOP("Placement", "{path}: {free} free, the move needs {need}"),
    QT_TRANSLATE_NOOP("Placement", "disk {path} ({size}) is shared: the destination reaches the same file; it is not "
                                   "copied"),
    QT_TRANSLATE_NOOP("Placement", "disk {path} is shared: the destination reaches the same file; it is not copied"),
    QT_TRANSLATE_NOOP("Placement", "disk {path} ({size}) will be copied: {duration} {at}"),
    QT_TRANSLATE_NOOP("Placement", "disk {path} will be copied: {duration} {at}"),
    QT_TRANSLATE_NOOP("Placement", "another file is at {path} on the destination; {text} into the VM's folder"),
    QT_TRANSLATE_NOOP("Placement", "nothing to do unless the two should be one shared disk"),
    QT_TRANSLATE_NOOP("Placement", "{text}: the move might take long"),
    QT_TRANSLATE_NOOP("Placement", "share the disk between the hosts (the same path on both), or allow the time"),
    QT_TRANSLATE_NOOP("Placement", "under a second"),
    QT_TRANSLATE_NOOP("Placement", "about {seconds} s"),
    QT_TRANSLATE_NOOP("Placement", "about {minutes} min"),
    QT_TRANSLATE_NOOP("Placement", "at {rate}"),
    QT_TRANSLATE_NOOP("Placement", "at an assumed {rate} (bandwidth not measured)"),
    QT_TRANSLATE_NOOP("Placement", "the image path"),
    QT_TRANSLATE_NOOP("Placement", "another file is at {path} on the destination: the VM's guest image ({size}) will "
                                   "be copied into its folder"),
    QT_TRANSLATE_NOOP("Placement", "another file is at {path} on the destination: the VM's guest image will be copied "
                                   "into its folder"),
    QT_TRANSLATE_NOOP("Placement", "nothing to do unless the other file should be the VM's"),
    QT_TRANSLATE_NOOP("Placement", "the guest image ({size}) will be copied to the destination"),
    QT_TRANSLATE_NOOP("Placement", "the guest image will be copied to the destination"),
    QT_TRANSLATE_NOOP("Placement", "a live move to this host needs the VM's disks and guest image there already ({n} "
                                   "file, {size} to copy)"),
    QT_TRANSLATE_NOOP("Placement", "a live move to this host needs the VM's disks and guest image there already ({n} "
                                   "files, {size} to copy)"),
    QT_TRANSLATE_NOOP("Placement", "move it with --type quick (saved, copied and restored), or share its files "
                                   "between the hosts"),
    QT_TRANSLATE_NOOP("Placement", "the VM has {n} checkpoint: a move does not carry checkpoints yet (their disks "
                                   "would stay behind)"),
    QT_TRANSLATE_NOOP("Placement", "the VM has {n} checkpoints: a move does not carry checkpoints yet (their disks "
                                   "would stay behind)"),
    QT_TRANSLATE_NOOP("Placement", "delete its checkpoints first (bulkhead vm checkpoint-remove VM CHECKPOINT)"),
    QT_TRANSLATE_NOOP("Placement", "the VM is {state}: it keeps running while its memory moves"),
    QT_TRANSLATE_NOOP("Placement", "the VM is {state}: its files are copied"),
    QT_TRANSLATE_NOOP("Placement", "not running"),
    # core/api/placement.py: the precheck's own rows
    QT_TRANSLATE_NOOP("Placement", "bandwidth not measured; assumed {rate} MiB/s"),
    QT_TRANSLATE_NOOP("Placement", "give a bandwidth to time the copies at your link's rate (--bandwidth 100M)"),
    QT_TRANSLATE_NOOP("Placement", "the VM is {state}, but its files are not all on the destination: it is saved, "
                                   "moved and restored"),
    QT_TRANSLATE_NOOP("Placement", "the destination is the VM's own host"),
    QT_TRANSLATE_NOOP("Placement", "choose another host, or move only its storage (--type storage --path DIR)"),
)
# placeholders that hold a line of their own (read back as a Phrase too), with the templates it is one of
NESTED = {"text": (), "duration": ("under a second", "about {seconds} s", "about {minutes} min"),
          "at": ("at an assumed {rate} (bandwidth not measured)", "at {rate}")}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _literal(template: str) -> str:
    """The pattern of a template with unnamed placeholders."""
    return "".join(re.escape(part) if i % 2 == 0 else ".+?" for i, part in enumerate(_PLACEHOLDER.split(template)))


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Each template with placeholders as a pattern of its English text, the most literal text first (so that
    "Backend: CPU emulation: ..." is not read as "Backend: {backend}")."""
    out = []
    for template in TEMPLATES:
        parts, seen, at = [], set(), 0
        for m in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[at:m.start()]))
            name = m.group(1)
            one_of = "|".join(_literal(t) for t in NESTED.get(name, ())) or ".+?"
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{one_of})")
            seen.add(name)
            at = m.end()
        parts.append(re.escape(template[at:]))
        out.append((template, re.compile("".join(parts), re.DOTALL)))
    out.sort(key=lambda tp: -len(_PLACEHOLDER.sub("", tp[0])))
    return out


def as_phrase(line: str) -> Phrase | None:
    """The Phrase a plain English line is (one that crossed the protocol as text: a precheck's rows come from the
    destination host), or None where no template reads it. Where several templates read it, the reading that
    explains the most of its text by templates wins ("{text}: the move might take long" around a disk's line, not
    the disk's line with the rest taken for its rate)."""
    found = _read(line)
    return found[1] if found else None


@lru_cache(maxsize=4096)
def _read(line: str, only: tuple[str, ...] = ()) -> tuple[int, Phrase] | None:
    """(how much of ``line`` its templates explain, the Phrase) of the best reading, among ``only`` if given."""
    best = None
    for template, pattern in _patterns():
        if only and template not in only:
            continue
        m = pattern.fullmatch(line)
        if not m:
            continue
        score, values = len(_PLACEHOLDER.sub("", template)), {}
        for k, v in m.groupdict().items():
            inner = _read(v, NESTED.get(k, ())) if v in TEMPLATES or k in NESTED else None
            if inner:
                score += inner[0]
            values[k] = inner[1] if inner else v
        if best is None or score > best[0]:
            best = (score, Phrase(template, values))
    return best


_DECIMAL = re.compile(r"\d+\.\d+(?: [A-Za-z/]+)?")


def _value(value, key: str = "") -> str:
    if isinstance(value, (tuple, list)):
        return SEPARATOR.join(_value(v) for v in value)
    if isinstance(value, Phrase):
        return text(value)
    value = str(value)
    if key == "state":
        return state_text(value)
    if _DECIMAL.fullmatch(value):  # a figure ("22.5 GiB", "0.0 Mbps") as the console's language writes it
        return value.replace(".", QLocale().decimalPoint(), 1)
    return value


def text(line) -> str:
    """``line`` in the console's language: a Phrase's translated template filled with its values (each value that
    is a Phrase translated too, a decimal figure written as the console's language writes it, a VM state by its
    name); a plain line as the Phrase it reads as (``as_phrase``); anything else, or a translation that does not fit
    its values, as it is."""
    if not isinstance(line, Phrase):
        found = as_phrase(line) if isinstance(line, str) else None
        if found is None:
            return str(line)
        line = found
    try:
        return translate(CONTEXT, line.template).format(**{k: _value(v, k) for k, v in line.params.items()})
    except (KeyError, IndexError, ValueError, AttributeError):
        return str(line)
