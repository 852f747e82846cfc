"""The console's widgets: navigation tree, details and actions panes, jobs strip, terminal, delegates."""
