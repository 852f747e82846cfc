"""The Qt console (PySide6, pyqtgraph). Talks to core.api only."""
