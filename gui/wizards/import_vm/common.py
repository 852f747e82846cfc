"""What the pages of the Import Virtual Machine wizard share: the page base and the host's read of a folder asked
a moment after each edit (the Convert wizards' ``DryRun``, here asking ``find_exports``), Browse <host>, the words
of the import modes and of the host's refusals, and what an export holds as rows of facts."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale

from gui import format as fmt
from gui import vmstates
from gui.i18n import QT_TRANSLATE_NOOP, translate

from ..convert.common import DryRun, Page, browse_on

__all__ = ["MODES", "DryRun", "Page", "browse_on", "export_rows", "mode_text", "refusal_text", "when"]

# the import modes in the order the page offers them, with Hyper-V Manager's words
MODES = ("register", "copy", "new_id")
_MODE_TEXTS = {
    "register": QT_TRANSLATE_NOOP("ImportWizard", "Register the virtual machine in-place"),
    "copy": QT_TRANSLATE_NOOP("ImportWizard", "Restore the virtual machine (use the existing unique ID)"),
    "new_id": QT_TRANSLATE_NOOP("ImportWizard", "Copy the virtual machine (create a new unique ID)"),
}


def mode_text(mode: str) -> str:
    return translate("ImportWizard", _MODE_TEXTS[mode]).replace("&", "") if mode in _MODE_TEXTS else mode


def refusal_text(answer: dict, host: str) -> str:
    """Why the host would refuse an import mode (``answer``: the mode's {ok, code, reason} from read_export), in
    the console's language where the code is known, else the host's words."""
    code = answer.get("code") or ""
    if code == "import.register":
        return translate("ImportWizard", "{host} keeps every virtual machine in its own folder of its store and "
                                         "cannot register one in place: restore or copy it.").format(host=host)
    if code == "import.id_exists":
        return translate("ImportWizard", "A virtual machine with this ID ({name}) already exists on {host}: copy it "
                                         "with a new ID.").format(name=answer.get("existing") or "?", host=host)
    return answer.get("reason") or ""


def when(seconds) -> str:
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return ""
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(seconds)), QLocale.FormatType.ShortFormat)


def export_rows(info: dict) -> list[tuple[str, str]]:
    """What an export holds (read_export's answer) as (name, value) rows."""
    checkpoints = info.get("checkpoints") or []
    disks = info.get("disks") or []
    none = translate("ImportWizard", "none")
    disk_text = translate("ImportWizard", "{count} files, {size}").format(
        count=len(disks), size=fmt.size(info.get("disk_bytes") or 0)) if disks else none
    checkpoint_text = translate("ImportWizard", "{count} ({memory} with memory)").format(
        count=len(checkpoints), memory=sum(1 for c in checkpoints if c.get("memory"))) if checkpoints else none
    saved = translate("ImportWizard", "yes") if info.get("saved_state") else translate("ImportWizard", "no")
    rows = [(translate("ImportWizard", "Name"), info.get("name", "")),
            (translate("ImportWizard", "ID"), info.get("id", "")),
            (translate("ImportWizard", "Memory"), fmt.size(info.get("memory")) if info.get("memory") else ""),
            (translate("ImportWizard", "Virtual processors"), str(info.get("vcpus") or 1)),
            (translate("ImportWizard", "State"), vmstates.state_text(info.get("state", "Off"))),
            (translate("ImportWizard", "Virtual hard disks"), disk_text),
            (translate("ImportWizard", "Checkpoints"), checkpoint_text),
            (translate("ImportWizard", "Saved state"), saved)]
    if info.get("network"):
        rows.append((translate("ImportWizard", "Virtual switch"), info["network"]))
    exported = when(info.get("exported"))
    if exported or info.get("host"):
        rows.append((translate("ImportWizard", "Exported"), translate(
            "ImportWizard", "{when} on {host} (version {version})").format(
            when=exported or "?", host=info.get("host") or "?", version=info.get("version") or "?")))
    return rows
