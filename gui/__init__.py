"""The Qt console (PySide6, pyqtgraph). Talks to core.api only."""

import os

# libvirt runs its event loop on GLib's default main context in a thread of its own; Qt's GLib event dispatcher
# would iterate that same context on the GUI thread and steal libvirt's console-stream and job events. Qt's own
# UNIX dispatcher leaves it alone.
os.environ.setdefault("QT_NO_GLIB", "1")
