"""The wizard and the migration view in the console's main window: Migrate... and Move VM Storage... open the
wizard for the selected VM (or the VM dropped on a host in the tree, with that host chosen), Finish opens the
migration view of the move's job, and a move job in the jobs strip opens its migration view again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.dialogs.migration_view import MigrationView, is_move

from .wizard import MigrateWizard


def _views(window) -> list[MigrationView]:
    return window.__dict__.setdefault("migration_views", [])


def open_wizard(window, item: tuple | None = None, destination=None, storage: bool = False) -> MigrateWizard | None:
    """The wizard for ``item`` ((session, VM dict); the selected VM if not given). ``destination``: a host's
    session chosen already; ``storage``: a storage move on the VM's own host, from the Transfer step."""
    vms = None
    if item is None:
        items = window.selected_items()
        if not items or (len(items) > 1 and (storage or any(s is not items[0][0] for s, _v in items))):
            return None  # several VMs move together only from one host, to another
        item = items[0]
        vms = [vm for _s, vm in items] if len(items) > 1 else None
    source, vm = item
    old = getattr(window, "migrate_wizard", None)
    if old is not None:
        old.close()
    hosts = [s for s in window.sessions if s.host_key]
    wizard = MigrateWizard(source, vm, hosts, destination=destination, storage=storage, parent=window, vms=vms)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.moving.connect(lambda job, events, prediction, w=wizard: open_view(
        window, source, job, events, prediction, destination=w.destination.host_label if w.destination else "",
        limit=w.transfer_page.options()["downtime_limit"] if w.transfer_page.chosen() == "live" else None,
        started=w.started if not w.bulk else None))
    wizard.finished.connect(lambda _r, w=wizard: setattr(window, "migrate_wizard", None)
                            if getattr(window, "migrate_wizard", None) is w else None)
    window.migrate_wizard = wizard
    wizard.open()
    return wizard


def open_view(window, session, job: dict, events: list | None = None, prediction: dict | None = None,
              destination: str = "", limit: float | None = None, started: float | None = None) -> MigrationView:
    """The migration view of a move's job (one per job: shown again if it is open)."""
    for view in _views(window):
        if view.session is session and view.job_id == job.get("id"):
            view.raise_()
            view.activateWindow()
            return view
    if not destination and isinstance(job.get("result"), dict):
        destination = str(job["result"].get("destination") or "")
    view = MigrationView(session, job, events, prediction, destination, limit, started=started, parent=window)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.finished.connect(lambda _r, v=view: _views(window).remove(v) if v in _views(window) else None)
    _views(window).append(view)
    view.show()
    return view


def show_job(window, session, job: dict) -> MigrationView | None:
    """A job of the jobs strip: a move opens its migration view; None for any other job."""
    return open_view(window, session, job) if is_move(job) else None
