"""Exporting a VM as an OVA through a Connection (docs/conversion.md): the host's "Export VM as OVA" job."""

from __future__ import annotations


class ExportOvaMethods:
    """Mixin of ``core.api.Connection``."""

    def export_ova(self, vm: str, path: str):
        """Export ``vm`` (Off or Saved) as the OVA file ``path`` (absolute, on the host); the job's result has
        ``path``, ``bytes``, ``members`` and ``disks``."""
        return self._job("vm.export.ova", vm=vm, path=path)
