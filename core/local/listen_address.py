"""The address the host service serves TLS on, kept across restarts.

``bulkhead host serve --listen ADDR[:PORT]`` saves it in the host's config (``service.json`` beside the ``pki``
folder: in BULKHEAD_HOME, else in the user's config folder) once the listener is bound, so a service started later
on first use (by the console, the CLI or ``host proxy`` on the far side of ssh) listens there again;
``host serve --listen off`` or ``--no-listen`` forgets it. Written atomically (core/model/files.py), 0600."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from core.hosts.certs import pki_dir
from core.hosts.paths import private_dir
from core.model.files import write_json_atomic

log = logging.getLogger(__name__)

CONFIG_NAME = "service.json"
KEY = "listen"
OFF = "off"


def config_path(paths) -> Path:
    """The host's config file for this store (``paths``: a HostPaths)."""
    explicit = paths.runtime == paths.data / "run"  # BULKHEAD_HOME / --home: everything under that folder
    return pki_dir(paths.data if explicit else None).parent / CONFIG_NAME


def _read(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as e:
        log.warning("ignoring %s: %s", path, e)
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring %s: not a JSON object", path)
        return {}
    return data


def saved_listen(paths) -> str | None:
    """The listen address saved by ``host serve --listen`` (None if none)."""
    path = config_path(paths)
    value = _read(path).get(KEY)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 300:
        log.warning("ignoring the listen address in %s: not an ADDR[:PORT] text", path)
        return None
    return value.strip()


def save_listen(paths, listen: str | None) -> None:
    """Keep ``listen`` for the next start of the service (None: forget it); other settings in the file stay."""
    path = config_path(paths)
    data = _read(path)
    if listen is None and KEY not in data:
        return
    if listen is None:
        data.pop(KEY)
    else:
        data[KEY] = listen
    private_dir(path.parent, "config folder")
    write_json_atomic(path, data)


def is_off(listen: str | None) -> bool:
    return listen is not None and listen.strip().lower() == OFF


def describe(paths) -> str:
    """Where the address is kept, for messages."""
    return os.fspath(config_path(paths))
