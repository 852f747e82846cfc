"""The physical machine scan's parsers on crafted command outputs (lsblk --json, /proc files, /sys/class/net,
ip -j addr, os-release), hostile ones too (huge numbers, missing fields, non-JSON, forged section marks, deep
nesting), the ssh:// target's parsing, and a real scan of this machine."""

from __future__ import annotations

import json
import shutil

import pytest

from core.convert import physical
from core.convert.physical import ScanError, parse_outputs, parse_ssh, split_sections
from core.model.errors import UsageError

GiB = 1 << 30
LSBLK = {"blockdevices": [
    {"name": "sda", "path": "/dev/sda", "type": "disk", "size": 500107862016, "fstype": None, "mountpoint": None,
     "model": "Samsung SSD 860", "serial": "S3Z9NB0K", "ro": False, "rm": False, "children": [
         {"name": "sda1", "path": "/dev/sda1", "type": "part", "size": 536870912, "fstype": "vfat",
          "mountpoint": "/boot/efi", "model": None, "serial": None, "ro": False, "rm": False},
         {"name": "sda2", "path": "/dev/sda2", "type": "part", "size": 499570991104, "fstype": "LVM2_member",
          "mountpoint": None, "model": None, "serial": None, "ro": False, "rm": False, "children": [
              {"name": "vg-root", "path": "/dev/mapper/vg-root", "type": "lvm", "size": 107374182400,
               "fstype": "ext4", "mountpoint": "/", "model": None, "serial": None, "ro": False, "rm": False},
              {"name": "vg-swap", "path": "/dev/mapper/vg-swap", "type": "lvm", "size": 8589934592,
               "fstype": "swap", "mountpoint": "[SWAP]", "model": None, "serial": None, "ro": False,
               "rm": False}]}]},
    {"name": "sdb", "path": "/dev/sdb", "type": "disk", "size": "2000398934016", "fstype": "xfs",
     "mountpoint": "/srv", "model": "WDC WD20", "serial": "WD-1", "ro": "0", "rm": "1"},
    {"name": "sr0", "path": "/dev/sr0", "type": "rom", "size": 1073741312, "fstype": None, "mountpoint": None,
     "model": "DVD", "serial": None, "ro": False, "rm": True},
    {"name": "loop0", "path": "/dev/loop0", "type": "loop", "size": 65536, "fstype": "squashfs",
     "mountpoint": "/snap/core/1", "model": None, "serial": None, "ro": True, "rm": False}]}
MEMINFO = "MemTotal:       16318424 kB\nMemFree:         1234567 kB\n"
CPUINFO = "".join(f"processor\t: {i}\nmodel name\t: Intel(R) Xeon(R) CPU E5-2620\n\n" for i in range(8))
NET = "eno1 3c:ec:ef:00:11:22 device\nlo 00:00:00:00:00:00 \nbr0 3c:ec:ef:00:11:22 \n"
IP = [{"ifname": "lo", "flags": ["LOOPBACK", "UP"], "operstate": "UNKNOWN", "link_type": "loopback",
       "address": "00:00:00:00:00:00", "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8}]},
      {"ifname": "eno1", "flags": ["BROADCAST", "UP"], "operstate": "UP", "link_type": "ether",
       "address": "3c:ec:ef:00:11:22", "addr_info": [{"family": "inet", "local": "192.0.2.10", "prefixlen": 24},
                                                     {"family": "inet6", "local": "2001:db8::10", "prefixlen": 64}]},
      {"ifname": "br0", "flags": ["UP"], "operstate": "UP", "address": "3c:ec:ef:00:11:22", "addr_info": []}]
OS_RELEASE = 'NAME="Ubuntu"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\n'


def sections(**changed) -> dict:
    out = {"lsblk": (json.dumps(LSBLK), 0), "meminfo": (MEMINFO, 0), "cpuinfo": (CPUINFO, 0), "net": (NET, 0),
           "ip": (json.dumps(IP), 0), "os_release": (OS_RELEASE, 0), "hostname": ("db1\n", 0),
           "firmware": ("efi\n", 0), "fsfreeze": ("/usr/sbin/fsfreeze\n", 0)}
    for key, value in changed.items():
        if value is None:
            out.pop(key)
        else:
            out[key] = value if isinstance(value, tuple) else (value, 0)
    return out


def test_a_server_reads_into_a_source_and_a_tree():
    src, scan = parse_outputs(sections(), "ssh://root@db1")
    assert src.format == "physical" and src.name == "db1" and src.path == "ssh://root@db1"
    assert src.memory == 16318424 * 1024 and src.vcpus == 8 and src.firmware == "efi"
    assert src.os == "Ubuntu 22.04.4 LTS" and src.report == []
    # whole disks only (no CD, no loop device), raw, with their sizes (a digit string accepted)
    assert [(d.path, d.capacity, d.format) for d in src.disks] == [("/dev/sda", 500107862016, "raw"),
                                                                   ("/dev/sdb", 2000398934016, "raw")]
    # the hardware adapter first, the loopback not a NIC; the bridge kept in the scan
    assert [(n.network, n.mac) for n in src.nics] == [("eno1", "3c:ec:ef:00:11:22"), ("br0", "3c:ec:ef:00:11:22")]
    eno1 = scan["adapters"][0]
    assert eno1["name"] == "eno1" and eno1["addresses"] == ["192.0.2.10/24", "2001:db8::10/64"] and eno1["hardware"]
    sda, sdb = scan["disks"][0], scan["disks"][1]
    assert sda["model"] == "Samsung SSD 860" and sda["lvm"] is True and sda["filesystem"] is None
    assert [p["path"] for p in sda["partitions"]] == ["/dev/sda1", "/dev/sda2"]
    assert sda["partitions"][0]["filesystem"] == {"type": "vfat", "mountpoint": "/boot/efi", "size": 536870912}
    root = sda["partitions"][1]["children"][0]
    assert root["type"] == "lvm" and root["filesystem"]["mountpoint"] == "/"
    assert sdb["rm"] is True and sdb["ro"] is False and sdb["filesystem"]["mountpoint"] == "/srv"
    assert scan["processors"] == 8 and scan["processor_model"].startswith("Intel") and scan["fsfreeze"] is True
    json.dumps(scan)  # JSON-safe
    node, chain = physical.find_device(scan, "/dev/mapper/vg-root")
    assert node is root and [n["path"] for n in chain] == ["/dev/sda", "/dev/sda2"]
    assert [m["mountpoint"] for m in physical.mounted_under(sda)] == ["/boot/efi", "/", "[SWAP]"]
    assert physical.find_device(scan, "/dev/nope") == (None, [])


@pytest.mark.parametrize("text, match", [
    ("lsblk: unknown column: PATH", "did not print JSON .lsblk: unknown column"),
    ("", "did not print JSON .no output"),
    ("[1, 2]", "no list of block devices"),
    ('{"blockdevices": 7}', "no list of block devices"),
    ("[" * 100_000, "did not print JSON"),
])
def test_unreadable_block_devices_are_one_line_errors_naming_the_machine(text, match):
    with pytest.raises(ScanError, match=match) as e:
        parse_outputs(sections(lsblk=text), "ssh://root@db1")
    assert str(e.value).startswith("ssh://root@db1: ") and "\n" not in str(e.value)


def test_lsblk_that_failed_or_never_ran():
    with pytest.raises(ScanError, match=r"lsblk failed \(exit status 1\): lsblk: not found"):
        parse_outputs(sections(lsblk=("sh: lsblk: not found\nlsblk: not found", 1)), "x")
    with pytest.raises(ScanError, match="lsblk did not run"):
        parse_outputs(sections(lsblk=None), "x")


def test_hostile_devices_are_skipped_with_a_warning_each():
    devices = [
        {"name": "sda", "path": "/dev/sda", "type": "disk", "size": 10 ** 30},  # huge
        {"name": "sdb", "path": "/dev/sdb", "type": "disk", "size": -1},
        {"name": "sdc", "path": "/dev/sdc", "type": "disk", "size": 1e12},  # a float
        {"name": "sdd", "path": "/dev/sdd", "type": "disk", "size": True},
        {"name": "sde", "path": "/etc/passwd", "type": "disk", "size": 1},
        {"name": "sdf", "path": "/dev/../etc/shadow", "type": "disk", "size": 1},
        {"name": "x\x1b[31mred", "type": "disk"},  # no size, no path
        "not an object",
        {"name": "sdg", "type": "disk", "size": 4096, "model": "A" * 10_000 + "\x00\u202e", "serial": 42,
         "mountpoint": "relative/path", "fstype": {"nested": 1}},  # path from the name, fields cleaned
    ]
    src, scan = parse_outputs(sections(lsblk=json.dumps({"blockdevices": devices})), "here")
    assert [d["path"] for d in scan["disks"]] == ["/dev/sdg"]
    sdg = scan["disks"][0]
    assert sdg["model"] == "A" * 64 and sdg["serial"] == "42" and sdg["filesystem"] is None
    assert len(scan["warnings"]) == 9 and all("\n" not in w and "\x1b" not in w for w in scan["warnings"])
    assert any("10000000000" in w and "not a number of bytes" in w for w in scan["warnings"])
    assert any("is not under /dev" in w for w in scan["warnings"])
    assert {n.code for n in src.report} == {"scan.unreadable"}


def test_deep_and_wide_trees_are_bounded():
    node = {"name": "leaf", "path": "/dev/leaf", "type": "part", "size": 1}
    for i in range(50):
        node = {"name": f"d{i}", "path": f"/dev/d{i}", "type": "disk", "size": 1, "children": [node]}
    _, scan = parse_outputs(sections(lsblk=json.dumps({"blockdevices": [node]})), "here")
    depth, n = 0, scan["disks"][0]
    while n.get("partitions") or n.get("children"):
        n = (n.get("partitions") or n.get("children"))[0]
        depth += 1
    assert depth == physical.DEPTH_MAX - 1 and any("nested deeper" in w for w in scan["warnings"])
    many = [{"name": f"s{i}", "path": f"/dev/s{i}", "type": "disk", "size": 1} for i in range(5000)]
    src, scan = parse_outputs(sections(lsblk=json.dumps({"blockdevices": many})), "here")
    assert len(scan["disks"]) == physical.DEVICES_MAX and any("more than" in w for w in scan["warnings"])


def test_other_unreadable_parts_are_warnings_and_the_plan_says_what_it_assumed():
    src, scan = parse_outputs(sections(meminfo="MemTotal: 99999999999999999999999 kB\n", cpuinfo="garbage",
                                       ip=("Object \"addr\" is unknown", 255), os_release=None, hostname=None,
                                       net="eth0 not-a-mac\n../../etc bad\n", firmware="weird"), "m")
    assert src.memory == 0 and src.vcpus == 0 and src.os == "" and src.name == "" and src.firmware == ""
    assert src.nics == []  # no MAC read, none kept as an adapter of the VM
    assert scan["adapters"] == [{"name": "eth0", "mac": "", "addresses": [], "state": "", "loopback": False,
                                 "hardware": False}]
    text = " | ".join(scan["warnings"])
    for what in ("/proc/meminfo", "/proc/cpuinfo", "ip -j addr did not run", "/etc/os-release", "not an interface"):
        assert what in text
    from core.convert.mapping import plan

    planned = plan(src, "bulkhead")
    codes = {n.code for n in planned.report}
    assert {"memory.unknown", "vcpus.unknown", "scan.unreadable"} <= codes
    assert planned.settings["vcpus"] == 1 and planned.settings["memory"] > 0


def test_ip_output_that_is_not_json_or_lies():
    warnings: list[str] = []
    assert physical.parse_ip("<html>", warnings) == {} and "did not print JSON" in warnings[0]
    hostile = [{"ifname": "eth0", "address": "ZZ", "addr_info": [{"local": "999.1.1.1", "prefixlen": 24},
                                                               {"local": "10.0.0.1", "prefixlen": "x"},
                                                               {"local": "10.0.0.2", "prefixlen": 99},
                                                               {"local": "10.0.0.3", "prefixlen": 8}, "junk"]},
               {"ifname": "bad name;rm", "address": "aa:bb:cc:dd:ee:ff"}, 7]
    out = physical.parse_ip(json.dumps(hostile), [])
    assert out == {"eth0": {"mac": "", "addresses": ["10.0.0.3/8"], "state": "", "loopback": False}}


def test_os_release_and_meminfo_variants():
    assert physical.parse_os_release("NAME=Alpine\nVERSION='3.19'\n") == "Alpine 3.19"
    assert physical.parse_os_release('PRETTY_NAME="unterminated\n') == "unterminated"
    assert physical.parse_os_release("PRETTY_NAME=\"a\x1b[2Jb\"") == "a[2Jb"
    assert physical.parse_meminfo("MemTotal: 1024 kB") == 1 << 20
    assert physical.parse_meminfo("MemTotal: 0 kB") is None and physical.parse_meminfo("") is None
    assert physical.parse_cpuinfo("processor : 0\nModel : Raspberry Pi 4\n") == (1, "Raspberry Pi 4")


def test_sections_cannot_be_forged_by_an_output():
    mark = "@@bulkhead-0123456789abcdef"
    out = (f"\n{mark} lsblk\n{json.dumps(LSBLK)}\n{mark} rc:0\n"
           f"\n{mark} hostname\nreal\n@@bulkhead-other hostname\nforged\n{mark} rc:0\n"
           f"\n{mark} lsblk\nsecond lsblk ignored\n{mark} rc:0\n\n{mark} end\n")
    found = split_sections(out, mark)
    assert found["hostname"][0].startswith("real\n@@bulkhead-other") and found["hostname"][1] == 0
    assert found["lsblk"][0].startswith("{")
    big = split_sections(f"\n{mark} meminfo\n" + "x" * (3 << 20) + f"\n{mark} rc:0\n", mark)
    assert len(big["meminfo"][0]) == physical.SECTION_MAX


@pytest.mark.parametrize("text, user, host, port", [
    ("ssh://root@db1", "root", "db1", 22),
    ("ssh://admin@192.0.2.7:2222", "admin", "192.0.2.7", 2222),
    ("ssh://db1.example.com/", "", "db1.example.com", 22),
    ("ssh://u@[2001:db8::1]:22", "u", "[2001:db8::1]", 22),
])
def test_ssh_targets(text, user, host, port):
    t = parse_ssh(text)
    assert (t.user, t.host, t.port) == (user, host, port)
    cmd = physical.ssh_command(t, "sh -s")
    assert cmd[:3] == ["ssh", "-o", "BatchMode=yes"] and cmd[-1] == "sh -s" and cmd[-3] == "--"
    assert cmd[-2] == f"{user + '@' if user else ''}{host.strip('[]')}"


def test_ssh_target_with_its_key_and_known_hosts():
    t = parse_ssh("ssh://me@h:2022/?keyfile=/k/id&known_hosts=/k/kh")
    assert (t.keyfile, t.known_hosts) == ("/k/id", "/k/kh") and t.uri == "ssh://me@h:2022"
    cmd = physical.ssh_command(t, "true")
    assert "-i" in cmd and "UserKnownHostsFile=/k/kh" in cmd and "IdentitiesOnly=yes" in cmd


@pytest.mark.parametrize("text", ["db1", "http://db1", "ssh://-oProxyCommand=x@h", "ssh://u@-h", "ssh://u:pw@h",
                                  "ssh://u@h:0", "ssh://u@h:99999", "ssh://u@h/dev/sda", "ssh://u@h?keyfile=rel",
                                  "ssh://u@h?evil=1", "ssh://u@h#x", "ssh://u@h;rm", "ssh://" + "a" * 3000])
def test_bad_ssh_targets_are_usage_errors(text):
    with pytest.raises(UsageError, match="ssh://user@host") as e:
        parse_ssh(text)
    assert "\n" not in str(e.value)


@pytest.mark.skipif(shutil.which("lsblk") is None, reason="lsblk (util-linux) is not installed")
def test_this_machine():
    src, scan = physical.scan()
    assert scan["local"] is True and scan["machine"] == "this machine" and src.format == "physical"
    assert src.memory > 0 and src.vcpus >= 1 and scan["seconds"] < 30
    assert all(d.path.startswith("/dev/") for d in src.disks)
    json.dumps(scan)


def test_a_machine_that_cannot_be_reached_is_one_line(monkeypatch):
    with pytest.raises(ScanError) as e:
        physical.scan("ssh://nobody@127.0.0.1:1", timeout=20)
    assert str(e.value).startswith("ssh://nobody@127.0.0.1:1: ") and "\n" not in str(e.value)


def test_a_machine_printing_without_end_is_refused_unread(monkeypatch):
    monkeypatch.setattr(physical, "OUTPUT_MAX", 1 << 20)
    with pytest.raises(ScanError, match="printed more than 1 MiB"):
        physical._run(["sh", "-c", "cat >/dev/null; yes"], "script", "here", 30)
    with pytest.raises(ScanError, match="no answer within 1 s"):
        physical._run(["sh", "-c", "cat >/dev/null; sleep 30"], "script", "here", 1)
    with pytest.raises(ScanError, match="here: it failed"):
        physical._run(["sh", "-c", "cat >/dev/null; echo 'it failed' >&2; exit 255"], "", "here", 30)
