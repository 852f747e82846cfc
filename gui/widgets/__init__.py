"""The console's widgets: navigation tree, details and actions panes, jobs strip, terminal, delegates, and the small
builders (buttons, labels, messages, button boxes, a wizard's steps) the dialogs and wizards share."""
