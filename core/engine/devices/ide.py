"""An emulated IDE (ATA) controller with PIO data transfer: primary channel, master drive, LBA28.

Every register access and every 16-bit data word is a VM exit, as on the hardware it imitates: 256 exits per
sector. This is the slow path the synthetic (VMBus) disk is measured against.
"""

from __future__ import annotations

from .bus import DeviceFault

BSY, DRDY, DF, DRQ, ERR = 0x80, 0x40, 0x20, 0x08, 0x01
ABRT, IDNF = 0x04, 0x10
CMD_READ, CMD_WRITE, CMD_FLUSH, CMD_IDENTIFY = 0x20, 0x30, 0xE7, 0xEC
SECTOR = 512
MODEL = "BULKHEAD VIRTUAL IDE DISK"


class IdeController:
    name = "ide"

    def __init__(self, disk) -> None:
        self.disk = disk
        self.sectors = min(disk.size // SECTOR, (1 << 28) - 1)
        self.stats = {"read_bytes": 0, "write_bytes": 0, "read_ops": 0, "write_ops": 0, "flushes": 0}
        self.reset()

    def reset(self) -> None:
        self.features = self.count = self.lba0 = self.lba1 = self.lba2 = 0
        self.drive = 0xE0
        self.status, self.error = DRDY, 0
        self.mode = None  # "read" or "write" while DRQ
        self.buffer = bytearray(SECTOR)
        self.pos = 0
        self.lba = 0
        self.remaining = 0

    # --- registers ---------------------------------------------------------------------------------------------
    def io_read(self, offset: int, size: int) -> int:
        if offset == 0:
            return self._data_in(size)
        if size != 1:
            raise DeviceFault(f"IDE register +{offset} read as {size} bytes")
        if self.drive & 0x10:
            return 0  # no slave drive
        return {1: self.error, 2: self.count, 3: self.lba0, 4: self.lba1, 5: self.lba2, 6: self.drive,
                7: self.status, 8: self.status}[offset]

    def io_write(self, offset: int, size: int, value: int) -> None:
        if offset == 0:
            self._data_out(size, value)
            return
        if size != 1:
            raise DeviceFault(f"IDE register +{offset} written as {size} bytes")
        value &= 0xFF
        if offset == 1:
            self.features = value
        elif offset == 2:
            self.count = value
        elif offset == 3:
            self.lba0 = value
        elif offset == 4:
            self.lba1 = value
        elif offset == 5:
            self.lba2 = value
        elif offset == 6:
            self.drive = value | 0xA0
        elif offset == 7:
            if not self.drive & 0x10:
                self._command(value)
        elif offset == 8 and value & 0x04:  # device control: software reset
            self.reset()

    # --- commands ----------------------------------------------------------------------------------------------
    def _command(self, cmd: int) -> None:
        self.error = 0
        if cmd == CMD_IDENTIFY:
            self.buffer = bytearray(self._identify())
            self.pos, self.remaining, self.mode = 0, 1, "identify"
            self.status = DRDY | DRQ
            return
        if cmd == CMD_FLUSH:
            self.disk.flush()
            self.stats["flushes"] += 1
            self.status = DRDY
            return
        if cmd not in (CMD_READ, CMD_WRITE):
            self._abort(ABRT)
            return
        count = self.count or 256
        lba = self.lba0 | self.lba1 << 8 | self.lba2 << 16 | (self.drive & 0x0F) << 24
        if lba + count > self.sectors:
            self._abort(IDNF)
            return
        self.lba, self.remaining, self.pos = lba, count, 0
        if cmd == CMD_READ:
            self.mode = "read"
            self._load()
        else:
            self.mode = "write"
            self.buffer = bytearray(SECTOR)
        self.status = DRDY | DRQ

    def _abort(self, error: int) -> None:
        self.error, self.status, self.mode = error, DRDY | ERR, None

    def _load(self) -> None:
        self.buffer = bytearray(self.disk.read(self.lba, 1))
        self.stats["read_bytes"] += SECTOR
        self.stats["read_ops"] += 1

    def _data_in(self, size: int) -> int:
        if size not in (2, 4):
            raise DeviceFault(f"IDE data port read as {size} bytes")
        if self.mode not in ("read", "identify"):
            return 0xFFFF if size == 2 else 0xFFFFFFFF
        value = int.from_bytes(self.buffer[self.pos : self.pos + size], "little")
        self.pos += size
        if self.pos >= SECTOR:
            self.remaining -= 1
            self.pos = 0
            if self.remaining and self.mode == "read":
                self.lba += 1
                self._load()
            else:
                self.mode, self.status = None, DRDY
        return value

    def _data_out(self, size: int, value: int) -> None:
        if size not in (2, 4):
            raise DeviceFault(f"IDE data port written as {size} bytes")
        if self.mode != "write":
            return
        self.buffer[self.pos : self.pos + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        self.pos += size
        if self.pos >= SECTOR:
            self.disk.write(self.lba, bytes(self.buffer))
            self.stats["write_bytes"] += SECTOR
            self.stats["write_ops"] += 1
            self.remaining -= 1
            self.lba += 1
            self.pos = 0
            if not self.remaining:
                self.mode, self.status = None, DRDY

    def _identify(self) -> bytes:
        words = [0] * 256
        words[0] = 0x0040  # fixed device
        words[1], words[3], words[6] = 16383, 16, 63
        model = MODEL.ljust(40).encode()
        for i in range(20):  # ATA strings are byte-swapped per word
            words[27 + i] = model[2 * i] << 8 | model[2 * i + 1]
        words[47] = 0x8001
        words[49] = 0x0200  # LBA supported
        words[60], words[61] = self.sectors & 0xFFFF, self.sectors >> 16
        return b"".join(w.to_bytes(2, "little") for w in words)

    # --- saved state (untrusted on load) -----------------------------------------------------------------------
    def get_state(self) -> dict:
        keys = ("features", "count", "lba0", "lba1", "lba2", "drive", "status", "error", "pos", "lba", "remaining")
        return {k: getattr(self, k) for k in keys} | {"mode": self.mode, "buffer": self.buffer.hex()}

    def set_state(self, state: dict) -> None:
        for k in ("features", "count", "lba0", "lba1", "lba2", "drive", "status", "error"):
            v = state.get(k)
            if not isinstance(v, int) or not 0 <= v <= 0xFF:
                raise ValueError(f"saved IDE register {k} is not a byte")
            setattr(self, k, v)
        mode, pos, lba, remaining = state.get("mode"), state.get("pos"), state.get("lba"), state.get("remaining")
        if mode not in (None, "read", "write", "identify") or not isinstance(pos, int) or not 0 <= pos < SECTOR \
                or pos % 2 or not isinstance(lba, int) or not isinstance(remaining, int) \
                or not 0 <= remaining <= 256 or lba < 0 or lba + remaining > self.sectors + 1:
            raise ValueError("saved IDE transfer state is invalid")
        buffer = bytes.fromhex(state.get("buffer", ""))
        if len(buffer) != SECTOR:
            raise ValueError("saved IDE buffer is damaged")
        self.mode, self.pos, self.lba, self.remaining, self.buffer = mode, pos, lba, remaining, bytearray(buffer)
