"""Data files shipped with Bulkhead: built guest images, icons, styles."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent
GUEST_IMAGE = ROOT / "guest" / "bulkhead-guest.elf"
