"""Where the host service keeps things. BULKHEAD_HOME (or --home) puts everything under one folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HostPaths:
    data: Path  # VM store, job history, metrics
    runtime: Path  # the socket (0700 folder)

    @property
    def store(self) -> Path:
        return self.data / "vms"

    @property
    def jobs_db(self) -> Path:
        return self.data / "jobs.sqlite"

    @property
    def socket(self) -> Path:
        return self.runtime / "host.sock"

    @property
    def log(self) -> Path:
        return self.data / "host.log"

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> HostPaths:
        home = home or os.environ.get("BULKHEAD_HOME")
        if home:
            root = Path(home).expanduser().resolve()
            return cls(root, root / "run")
        import platformdirs

        data = Path(platformdirs.user_data_dir("bulkhead", appauthor=False))
        runtime_root = os.environ.get("XDG_RUNTIME_DIR")
        runtime = Path(runtime_root) / "bulkhead" if runtime_root else data / "run"
        return cls(data, runtime)
