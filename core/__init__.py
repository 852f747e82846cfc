"""Bulkhead's model layer: the engine, the host service and the controller API. Never imports Qt."""

__version__ = "0.1.0"
