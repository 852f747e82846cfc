"""The Performance view: live and historical graphs of a VM or the host (parent partition), from the host's
``metrics`` events and ``metrics_history``."""
