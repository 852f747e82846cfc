"""The Alerts pane, the alert rules editor and the optional tray notification."""
