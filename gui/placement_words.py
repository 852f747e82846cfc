"""The lines core builds in English for placement (a host's rating explained, why a host cannot take a VM) in the
console's language.

core makes each such line a ``core.model.phrase.Phrase``: its English text, its template and the values of the
template's placeholders. ``text(line)`` translates the template (context "Placement") and fills in the values (a
value that is a Phrase too is translated the same way); a plain string, or a template with no translation, is shown
as it is. ``TEMPLATES`` lists every template core can make, so that lupdate collects them for the translators
(tests/test_phrases.py fails when core makes one that is not listed here).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale

from core.model.phrase import SEPARATOR, Phrase
from gui.i18n import QT_TRANSLATE_NOOP, translate

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
)


_DECIMAL = re.compile(r"\d+\.\d+(?: [A-Za-z/]+)?")


def _value(value) -> str:
    if isinstance(value, (tuple, list)):
        return SEPARATOR.join(_value(v) for v in value)
    if isinstance(value, Phrase):
        return text(value)
    value = str(value)
    if _DECIMAL.fullmatch(value):  # a figure ("22.5 GiB", "0.0 Mbps") as the console's language writes it
        return value.replace(".", QLocale().decimalPoint(), 1)
    return value


def text(line) -> str:
    """``line`` in the console's language: a Phrase's translated template filled with its values (each value that
    is a Phrase translated too, a decimal figure written as the console's language writes it); anything else, or
    a translation that does not fit its values, as it is."""
    if not isinstance(line, Phrase):
        return str(line)
    try:
        return translate(CONTEXT, line.template).format(**{k: _value(v) for k, v in line.params.items()})
    except (KeyError, IndexError, ValueError, AttributeError):
        return str(line)
