"""Scanning a physical machine (SCVMM's Convert Physical Server, docs/conversion.md): this machine, or another one
over SSH (``ssh://user@host[:port]``), read into a ``SourceVm(format="physical")`` and a ``scan`` report (a tree:
disks -> partitions -> file systems with mountpoints and sizes; network adapters with MACs and addresses).

The machine is asked once: one shell script (``SCRIPT``) prints each command's output in a section of its own
(``lsblk --json``, /proc/meminfo, /proc/cpuinfo, /sys/class/net/*/address, ``ip -j addr``, /etc/os-release, the
host name, the firmware, whether fsfreeze is there). Over SSH it runs through ``ssh -o BatchMode=yes`` in one
session; here it runs with ``sh``, and psutil (where installed) gives memory and processors. The outputs are
untrusted: every section is bounded, every number checked, every string cleaned and cut; what cannot be read is a
warning naming it (or, for the block devices, a one-line ``ScanError``). The parsers are pure functions of the
outputs (``parse_outputs``), tested on crafted ones.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import threading
import time
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from core.model.errors import OperationFailed, UsageError

from .source import SourceDisk, SourceNic, SourceVm

__all__ = ["ScanError", "SshTarget", "find_device", "mounted_under", "parse_outputs", "parse_ssh", "scan",
           "ssh_command"]

SECTION_MAX = 1 << 20  # bytes of one command's output kept
OUTPUT_MAX = 8 << 20  # bytes of the whole scan's output read at most
SCAN_TIMEOUT = 60.0
DEVICES_MAX = 1024  # block devices (disks, partitions, volumes) kept
DEPTH_MAX = 8  # nesting of lsblk's children (disk > partition > crypt > lvm ...)
ADAPTERS_MAX = 256
ADDRESSES_MAX = 64  # addresses an adapter
TEXT_MAX = 256
SIZE_MAX = (1 << 63) - 1
CPUS_MAX = 1 << 16
LSBLK_COLUMNS = "NAME,PATH,TYPE,SIZE,FSTYPE,MOUNTPOINT,MODEL,SERIAL,RO,RM"
SKIPPED_TYPES = ("rom", "loop", "zram")  # not hard disks of the machine (unless named by path)
_MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
_DEV_PATH = re.compile(r"^/dev/[A-Za-z0-9._+:@/-]{1,200}$")
_IFNAME = re.compile(r"^[A-Za-z0-9._@:-]{1,32}$")
_SSH_USER = re.compile(r"^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$")
_SSH_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$|^\[[0-9A-Fa-f:.]{2,45}\]$")
SECTIONS = ("lsblk", "meminfo", "cpuinfo", "net", "ip", "os_release", "hostname", "firmware", "fsfreeze")
# the one script the machine runs; MARK (random, per scan) starts each section so no output can forge another's
SCRIPT = r"""PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"; export LC_ALL=C
s() { printf '\n%s %s\n' "$MARK" "$1"; }
s lsblk; lsblk --json --bytes -o {columns} 2>&1; s "rc:$?"
s meminfo; cat /proc/meminfo 2>&1; s "rc:$?"
s cpuinfo; cat /proc/cpuinfo 2>&1; s "rc:$?"
s net; for f in /sys/class/net/*; do [ -e "$f/address" ] && printf '%s %s %s\n' "${f##*/}" "$(cat "$f/address")" \
  "$([ -e "$f/device" ] && echo device)"; done
s "rc:0"
s ip; ip -j addr 2>&1; s "rc:$?"
s os_release; cat /etc/os-release 2>&1 || cat /usr/lib/os-release 2>&1; s "rc:$?"
s hostname; cat /proc/sys/kernel/hostname 2>/dev/null || uname -n; s "rc:$?"
s firmware; if [ -d /sys/firmware/efi ]; then echo efi; else echo bios; fi; s "rc:0"
s fsfreeze; command -v fsfreeze; s "rc:$?"
s end
""".replace("{columns}", LSBLK_COLUMNS)


class ScanError(OperationFailed):
    """A machine that could not be scanned: one line naming the machine and what was unreadable."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}", code="convert.scan", machine=where)


# --- where: this machine or ssh://user@host[:port] -----------------------------------------------------------------
@dataclass(frozen=True)
class SshTarget:
    """A machine reached over SSH: ``user@host`` on ``port``; ``keyfile`` and ``known_hosts`` (absolute paths, from
    the URI's query) when not the ssh client's own."""
    user: str
    host: str
    port: int = 22
    keyfile: str = ""
    known_hosts: str = ""

    @property
    def uri(self) -> str:
        port = f":{self.port}" if self.port != 22 else ""
        return f"ssh://{self.user + '@' if self.user else ''}{self.host}{port}"


def parse_ssh(text: str) -> SshTarget | None:
    """None for "" (this machine), an SshTarget for ``ssh://user@host[:port][/?keyfile=PATH&known_hosts=PATH]``,
    else UsageError saying what to give."""
    if not text:
        return None
    hint = "give ssh://user@host[:port] (or nothing for this machine)"
    if not isinstance(text, str) or len(text) > 2048 or not text.startswith("ssh://"):
        raise UsageError(f"from {str(text)[:80]!r}: {hint}", code="convert.from")
    try:
        parts = urlsplit(text)
        port = parts.port
        if port is None:
            port = 22
        elif not 1 <= port <= 65535:
            raise ValueError("port out of range 1-65535")
    except ValueError as e:
        raise UsageError(f"from {text[:80]!r}: {e}: {hint}", code="convert.from") from None
    user = unquote(parts.username or "")
    host = parts.hostname or ""
    netloc_host = host if ":" not in host else f"[{host}]"
    if (user and not _SSH_USER.match(user)) or not host or not _SSH_HOST.match(netloc_host) or parts.password:
        raise UsageError(f"from {text[:80]!r}: not a user and host name: {hint}", code="convert.from")
    if parts.path not in ("", "/") or parts.fragment:
        raise UsageError(f"from {text[:80]!r}: a machine has no path: {hint}", code="convert.from")
    options = {}
    for key, values in parse_qs(parts.query, keep_blank_values=True).items():
        if key not in ("keyfile", "known_hosts") or len(values) != 1 or not os.path.isabs(values[0]):
            raise UsageError(f"from {text[:80]!r}: the query takes keyfile=PATH and known_hosts=PATH (absolute): "
                             f"{hint}", code="convert.from")
        options[key] = values[0]
    return SshTarget(user, netloc_host, port, options.get("keyfile", ""), options.get("known_hosts", ""))


def ssh_command(target: SshTarget, remote: str) -> list[str]:
    """The ssh client's argument list running ``remote`` (a shell command line) on ``target``, never asking."""
    cmd = ["ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15",
           "-p", str(target.port)]
    if target.keyfile:
        cmd += ["-i", target.keyfile, "-o", "IdentitiesOnly=yes"]
    if target.known_hosts:
        cmd += ["-o", f"UserKnownHostsFile={target.known_hosts}"]
    return [*cmd, "--", f"{target.user + '@' if target.user else ''}{target.host.strip('[]')}", remote]


# --- pure parsers ---------------------------------------------------------------------------------------------------
def clean(value, limit: int = TEXT_MAX) -> str:
    """An untrusted string as one safe line: control and format characters dropped, cut to ``limit``."""
    if value is None or isinstance(value, bool):
        return ""
    text = str(value) if isinstance(value, (str, int)) else ""
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:limit]


def _count(value, limit: int = SIZE_MAX) -> int | None:
    """A non-negative whole number (int or digit string) up to ``limit``, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        value = int(value)
    if isinstance(value, int) and 0 <= value <= limit:
        return value
    return None


def _flag(value) -> bool:
    return value is True or value in (1, "1", "true")


def split_sections(text: str, mark: str) -> dict[str, tuple[str, int | None]]:
    """{section: (output, exit status or None)} from the script's output; each output cut to SECTION_MAX."""
    out: dict[str, tuple[str, int | None]] = {}
    pieces = re.split(rf"\n{re.escape(mark)} (\S+)\n", "\n" + text)
    name = None
    for i in range(1, len(pieces) - 1, 2):
        token, body = pieces[i], pieces[i + 1]
        if token.startswith("rc:") and name is not None:
            code = _count(token[3:], 255)
            out[name] = (out[name][0], code)
            name = None
        elif token in SECTIONS and token not in out:
            name = token
            out[name] = (body[:SECTION_MAX], None)
    return out


def parse_lsblk(text: str, warnings: list[str]) -> list[dict]:
    """lsblk --json's block devices as a bounded tree of checked nodes; ScanError-worthy trouble raises
    ValueError (the caller names the machine)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        first = clean(text.strip().splitlines()[0] if text.strip() else "no output", 120)
        raise ValueError(f"lsblk --json did not print JSON ({first})") from None
    devices = data.get("blockdevices") if isinstance(data, dict) else None
    if not isinstance(devices, list):
        raise ValueError("lsblk --json printed no list of block devices")
    budget = [DEVICES_MAX]

    def node(raw, depth: int) -> dict | None:
        if not isinstance(raw, dict):
            warnings.append("lsblk: a block device entry is not an object: skipped")
            return None
        name = clean(raw.get("name"), 64)
        path = clean(raw.get("path"), 220) or (f"/dev/{name}" if name and "/" not in name else "")
        if not _DEV_PATH.match(path) or ".." in path:
            warnings.append(f"lsblk: device {name or '?'!r}: path {clean(raw.get('path'), 60)!r} is not under /dev: "
                            "skipped")
            return None
        size = _count(raw.get("size"))
        if size is None:
            warnings.append(f"lsblk: {path}: size {clean(raw.get('size'), 40)!r} is not a number of bytes: skipped")
            return None
        if budget[0] <= 0:
            return None
        budget[0] -= 1
        fstype = clean(raw.get("fstype"), 32)
        mountpoint = clean(raw.get("mountpoint"), 1024)
        if mountpoint and not (mountpoint.startswith("/") or mountpoint == "[SWAP]"):
            warnings.append(f"lsblk: {path}: mountpoint {mountpoint[:60]!r} is not a path: ignored")
            mountpoint = ""
        out = {"name": name or path.rsplit("/", 1)[-1], "path": path, "type": clean(raw.get("type"), 16) or "disk",
               "size": size, "model": clean(raw.get("model"), 64), "serial": clean(raw.get("serial"), 64),
               "ro": _flag(raw.get("ro")), "rm": _flag(raw.get("rm")),
               "filesystem": {"type": fstype, "mountpoint": mountpoint, "size": size} if fstype or mountpoint
               else None, "children": []}
        kids = raw.get("children")
        if isinstance(kids, list):
            if depth >= DEPTH_MAX:
                warnings.append(f"lsblk: {path}: devices nested deeper than {DEPTH_MAX}: not read")
            else:
                out["children"] = [c for c in (node(k, depth + 1) for k in kids) if c is not None]
        return out

    tree = [n for n in (node(d, 1) for d in devices) if n is not None]
    if budget[0] <= 0:
        warnings.append(f"lsblk: more than {DEVICES_MAX} block devices: the rest not read")
    return tree


def parse_meminfo(text: str) -> int | None:
    """MemTotal in bytes, or None."""
    m = re.search(r"^MemTotal:\s+(\d{1,20})\s*kB\s*$", text, re.M)
    value = _count(m.group(1), SIZE_MAX >> 10) if m else None
    return value * 1024 if value else None


def parse_cpuinfo(text: str) -> tuple[int | None, str]:
    """(logical processors, the first model name) from /proc/cpuinfo."""
    count = len(re.findall(r"^processor\s*:", text, re.M))
    m = re.search(r"^(?:model name|Model|cpu model)\s*:\s*(.+)$", text, re.M)
    return (count if 0 < count <= CPUS_MAX else None), clean(m.group(1), 128) if m else ""


def parse_os_release(text: str) -> str:
    """PRETTY_NAME (else NAME VERSION) of an os-release file, "" when it has none."""
    values = {}
    for line in text.splitlines()[:500]:
        key, sep, value = line.partition("=")
        if sep and re.fullmatch(r"[A-Z_]{1,32}", key.strip()):
            try:
                parsed = shlex.split(value, comments=False)
            except ValueError:
                parsed = [value.strip("\"'")]
            values[key.strip()] = clean(" ".join(parsed), 128)
    return values.get("PRETTY_NAME") or " ".join(x for x in (values.get("NAME"), values.get("VERSION")) if x)


def parse_net(text: str, warnings: list[str]) -> dict[str, tuple[str, bool]]:
    """{adapter: (MAC, a device of its own)} from "NAME MAC [device]" lines (/sys/class/net/*/address; "device"
    when the adapter is hardware, not a bridge or tunnel)."""
    out: dict[str, tuple[str, bool]] = {}
    for line in text.splitlines():
        name, _, rest = line.strip().partition(" ")
        mac, _, device = rest.strip().lower().partition(" ")
        if not name or len(out) >= ADAPTERS_MAX:
            continue
        if not _IFNAME.match(name):
            warnings.append(f"network adapter {clean(name, 40)!r}: not an interface name: skipped")
            continue
        out[name] = (mac if _MAC.match(mac) else "", device.strip() == "device")
    return out


def parse_ip(text: str, warnings: list[str]) -> dict[str, dict]:
    """{adapter: {mac, addresses ["192.0.2.2/24"], state, loopback}} from ``ip -j addr``; {} when unreadable."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        first = clean(text.strip().splitlines()[0] if text.strip() else "no output", 120)
        warnings.append(f"ip -j addr did not print JSON ({first}): addresses not known")
        return {}
    if not isinstance(data, list):
        warnings.append("ip -j addr printed no list of adapters: addresses not known")
        return {}
    out: dict[str, dict] = {}
    for link in data[:ADAPTERS_MAX]:
        if not isinstance(link, dict) or not isinstance(link.get("ifname"), str) or not _IFNAME.match(link["ifname"]):
            continue
        mac = str(link.get("address", "")).lower()
        addresses = []
        infos = link.get("addr_info") if isinstance(link.get("addr_info"), list) else []
        for a in infos[:ADDRESSES_MAX]:
            if not isinstance(a, dict):
                continue
            try:
                addresses.append(str(ipaddress.ip_interface(f"{a.get('local')}/{int(a.get('prefixlen'))}")))
            except (ValueError, TypeError, OverflowError):
                continue
        flags = link.get("flags") if isinstance(link.get("flags"), list) else []
        out[link["ifname"]] = {"mac": mac if _MAC.match(mac) else "", "addresses": addresses,
                               "state": clean(link.get("operstate"), 16),
                               "loopback": "LOOPBACK" in flags or link.get("link_type") == "loopback"}
    return out


def _walk(nodes, depth=0):
    for n in nodes:
        yield n, depth
        yield from _walk(n.get("children") or n.get("partitions") or (), depth + 1)


def parse_outputs(sections: dict[str, tuple[str, int | None]], where: str, local: bool = False
                  ) -> tuple[SourceVm, dict]:
    """The SourceVm and the scan report of a machine from its sections' outputs ({name: (text, exit status)}).
    ScanError when its block devices cannot be read; any other unreadable part is a warning naming it."""
    warnings: list[str] = []

    def text(name: str) -> str:
        body, code = sections.get(name, ("", None))
        return body if code == 0 else ""

    if "lsblk" not in sections:
        raise ScanError(where, "the scan printed no block devices (lsblk did not run)")
    body, code = sections["lsblk"]
    if code not in (0, None):
        first = clean(body.strip().splitlines()[-1] if body.strip() else "", 160)
        raise ScanError(where, f"lsblk failed (exit status {code}){': ' + first if first else ''} "
                               "(util-linux 2.33 or later lists devices as JSON)")
    try:
        tree = parse_lsblk(body, warnings)
    except ValueError as e:
        raise ScanError(where, str(e)) from None
    memory = parse_meminfo(text("meminfo"))
    if not memory:
        warnings.append("/proc/meminfo: no MemTotal read: memory not known")
    cpus, cpu_model = parse_cpuinfo(text("cpuinfo"))
    if not cpus:
        warnings.append("/proc/cpuinfo: no processors read: processors not known")
    os_name = parse_os_release(text("os_release"))
    if not os_name:
        warnings.append("/etc/os-release: no operating system name read")
    hostname = clean(text("hostname").strip(), 64)
    macs = parse_net(text("net"), warnings)
    links = parse_ip(text("ip"), warnings) if "ip" in sections and sections["ip"][1] == 0 else {}
    if "ip" in sections and sections["ip"][1] != 0:
        warnings.append("ip -j addr did not run (iproute2 4.13 or later): addresses not known")
    adapters = []
    for name in sorted(set(macs) | set(links))[:ADAPTERS_MAX]:
        link = links.get(name, {})
        mac, hardware = macs.get(name, ("", False))
        loopback = bool(link.get("loopback")) or name == "lo"
        adapters.append({"name": name, "mac": mac or link.get("mac", ""), "addresses": list(link.get("addresses", [])),
                         "state": link.get("state", ""), "loopback": loopback, "hardware": hardware})
    # the machine's own adapters first (hardware, then those with an address), the first is the VM's
    adapters.sort(key=lambda a: (a["loopback"], not a["hardware"], not a["addresses"], a["name"]))
    firmware = text("firmware").strip()
    disks = []
    for top in tree:
        entry = dict(top, partitions=top.pop("children"))
        entry["lvm"] = any(n.get("type") == "lvm" for n, _ in _walk(entry["partitions"]))
        disks.append(entry)
    src = SourceVm(format="physical", path=where, name=hostname, memory=memory or 0, vcpus=cpus or 0,
                   firmware=firmware if firmware in ("bios", "efi") else "", os=os_name)
    for d in disks:
        if d["type"] in SKIPPED_TYPES or d["size"] == 0:
            continue
        src.disks.append(SourceDisk(path=d["path"], format="raw", capacity=d["size"], bus="", slot=d["name"],
                                    device="disk", readonly=d["ro"]))
    for a in adapters:
        if not a["loopback"] and a["mac"] and a["mac"] != "00:00:00:00:00:00":
            src.nics.append(SourceNic(model="", mac=a["mac"], network=a["name"], connection="physical"))
    for w in warnings:
        src.warn("scan.unreadable", w)
    report = {"machine": where, "local": local, "host_name": hostname, "os": os_name, "processors": cpus or 0,
              "processor_model": cpu_model, "memory": memory or 0, "firmware": src.firmware, "disks": disks,
              "adapters": adapters, "fsfreeze": bool(text("fsfreeze").strip()), "warnings": warnings}
    return src, report


# --- the scan -------------------------------------------------------------------------------------------------------
def _run(cmd: list[str], script: str, where: str, timeout: float) -> str:
    """The script's output (at most OUTPUT_MAX bytes: a machine printing more is refused, never read whole)."""
    try:
        child = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 start_new_session=True)
    except OSError as e:
        raise ScanError(where, f"cannot run {cmd[0]}: {e.strerror or e}") from None
    out, err = bytearray(), bytearray()
    too_much = threading.Event()

    def drain(stream, into: bytearray, limit: int, keep_tail: bool) -> None:
        for chunk in iter(lambda: stream.read(65536), b""):
            into.extend(chunk)
            if len(into) > limit:
                if keep_tail:
                    del into[:-limit]
                else:
                    too_much.set()
                    _kill_group(child)
                    return

    readers = [threading.Thread(target=drain, args=(child.stdout, out, OUTPUT_MAX, False), daemon=True),
               threading.Thread(target=drain, args=(child.stderr, err, 8192, True), daemon=True)]
    for t in readers:
        t.start()
    try:
        try:
            child.stdin.write(script.encode())
            child.stdin.close()
        except OSError:
            pass  # it ended before reading: its exit status and error output say why
        code = child.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill_group(child)
        child.wait()
        raise ScanError(where, f"no answer within {timeout:g} s") from None
    finally:
        for t in readers:
            t.join(5)
        child.stdout.close()
        child.stderr.close()
    if too_much.is_set():
        raise ScanError(where, f"the scan printed more than {OUTPUT_MAX >> 20} MiB")
    if code != 0 and not out:
        lines = [ln.strip() for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise ScanError(where, clean(lines[-1] if lines else f"{cmd[0]} exit status {code}", 300))
    return out.decode("utf-8", "replace")


def _kill_group(child: subprocess.Popen) -> None:
    """The child and whatever it started (its own session): a script's commands go with it."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except OSError:
        try:
            child.kill()
        except OSError:
            pass


def scan(from_: str = "", timeout: float = SCAN_TIMEOUT) -> tuple[SourceVm, dict]:
    """Scan this machine (``from_`` "") or ``ssh://user@host[:port]``: (SourceVm, scan report)."""
    target = parse_ssh(from_)
    where = target.uri if target else "this machine"
    mark = "@@bulkhead-" + secrets.token_hex(8)
    script = f"MARK={mark}\n{SCRIPT}"
    started = time.monotonic()
    cmd = ssh_command(target, "sh -s") if target else ["sh", "-s"]
    out = _run(cmd, script, where, timeout)
    sections = split_sections(out, mark)
    src, report = parse_outputs(sections, where, local=target is None)
    if target is None:
        _local_facts(src, report)
    report["seconds"] = round(time.monotonic() - started, 3)
    return src, report


def _local_facts(src: SourceVm, report: dict) -> None:
    """Memory and processors as psutil (else os.cpu_count) gives them on this machine."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        report["memory"] = src.memory = int(psutil.virtual_memory().total)
    cpus = os.cpu_count() or 0
    if cpus:
        report["processors"] = src.vcpus = cpus
    if src.memory and src.vcpus:  # what /proc could not tell, psutil did
        src.report = [n for n in src.report if not n.text.startswith("/proc/")]
        report["warnings"] = [w for w in report["warnings"] if not w.startswith("/proc/")]


def find_device(report: dict, path: str) -> tuple[dict | None, list[dict]]:
    """The scan's node for device ``path`` and its ancestors (outermost first); (None, []) when not scanned."""
    def search(nodes, chain):
        for n in nodes:
            if n.get("path") == path:
                return n, chain
            found = search(n.get("partitions") or n.get("children") or (), [*chain, n])
            if found[0] is not None:
                return found
        return None, []
    return search(report.get("disks") or (), [])


def mounted_under(node: dict) -> list[dict]:
    """The mounted file systems of ``node`` and everything below it: [{path, type, mountpoint, lvm}]."""
    out = []
    for n, _ in _walk([node]):
        fs = n.get("filesystem") or {}
        if fs.get("mountpoint"):
            out.append({"path": n["path"], "type": fs.get("type", ""), "mountpoint": fs["mountpoint"],
                        "lvm": n.get("type") == "lvm"})
    return out
