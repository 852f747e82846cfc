"""The console's main window (``MainWindow``), in parts: ``window`` (keeping it current, its dialogs and windows),
``layout`` (central area, docks, columns, remembered layout), ``menus`` (menus, toolbar, Actions pane, running
actions) and ``hosts`` (hosts, libvirt connections, host groups)."""

from gui.main_window.layout import DEFAULT_WIDTHS, LAYOUT_VERSION, PAGE_CONNECTING, PAGE_EMPTY, PAGE_LIST
from gui.main_window.window import MainWindow

__all__ = ["DEFAULT_WIDTHS", "LAYOUT_VERSION", "PAGE_CONNECTING", "PAGE_EMPTY", "PAGE_LIST", "MainWindow"]
