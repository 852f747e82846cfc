"""A bounded fault campaign against a fresh host service; prints one JSON document of counts.

    python benchmarks/campaign.py [--seed N] [--kills 200] [--save-kills 20] [--max-seconds 900] [--keep]

It starts `bulkhead host serve` in a temporary BULKHEAD_HOME (Unix sockets only, no network) and then sends
malformed requests over the socket (random bytes and JSON, and for every method of core.model.methods.METHODS
each parameter with wrong types, NaN/infinity, huge integers, deep nesting, lone surrogates, plus unknown methods
and parameters); kills the service with SIGKILL during changing operations (vm new/set/remove, disk new,
switch new) and during saves (`vm stop --save` of a running VM), restarting it each time; holds 64 idle and
half-sent connections while a normal client lists VMs; and runs the command line with hostile arguments.

After every restart it checks: no VM whose `vm new` was acknowledged is missing, no VM shows "Configuration error",
no temporary file is left in the store. "must_be_zero" gathers the figures that must be 0 (internal errors, hangs,
lost acknowledged VMs, broken configurations, leftover temporary files after restart, CLI tracebacks); "ok" is true
when they all are. Takes about 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.api.transport import SocketTransport  # noqa: E402
from core.hosts.paths import HostPaths  # noqa: E402
from core.model.errors import BulkheadError  # noqa: E402
from core.model.files import is_temp_name  # noqa: E402
from core.model.methods import METHODS  # noqa: E402
from tests.helpers.sockets import start_holder  # noqa: E402

MiB = 1 << 20
ANSWER_TIMEOUT = 15.0  # an answer later than this is a hang
START_TIMEOUT = 60.0
HUGE = "__huge_number__"  # replaced by a 5,000-digit number in the request's text


class Hang(Exception):
    pass


# --- the service -----------------------------------------------------------------------------------------------
class Service:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.paths = HostPaths(home, home / "run")
        self.cwd = home / "cwd"  # relative paths of hostile requests land here, never in the repository
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "BULKHEAD_HOME": str(home), "PYTHONPATH": str(ROOT)}
        self.env.pop("BULKHEAD_CONNECT", None)
        self.proc: subprocess.Popen | None = None
        self.start_times: list[float] = []
        self.rss_max = 0.0

    def start(self) -> None:
        with open(self.home / "host.log", "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "core.cli", "host", "serve"], cwd=self.cwd,
                                         env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True)
        t0 = time.monotonic()
        while time.monotonic() - t0 < START_TIMEOUT:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the host service exited with {self.proc.returncode}: {self.last_log_line()}")
            try:
                t = SocketTransport(self.paths.socket)
                t.call("vm.list")
                t.close()
                self.start_times.append(time.monotonic() - t0)
                return
            except (OSError, BulkheadError):
                time.sleep(0.02)
        raise Hang(f"the host service did not answer within {START_TIMEOUT:g} s of its start")

    def kill(self) -> None:
        self.sample_rss()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def rss_mib(self) -> float:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def sample_rss(self) -> float:
        rss = self.rss_mib()
        self.rss_max = max(self.rss_max, rss)
        return rss

    def last_log_line(self) -> str:
        try:
            lines = (self.home / "host.log").read_text(errors="replace").strip().splitlines()
            return lines[-1] if lines else ""
        except OSError:
            return ""

    def client(self) -> SocketTransport:
        return SocketTransport(self.paths.socket, timeout=ANSWER_TIMEOUT)


def temp_files(folder: Path, skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        if rel.split(os.sep)[0] in skip:
            continue
        found += [os.path.join(rel, n) for n in dirnames + filenames if is_temp_name(n)]
    return found


# --- malformed requests ----------------------------------------------------------------------------------------
def _deep(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = [None, True, -1, 2**64, 10**30, float("nan"), float("inf"), "", "a\udfffb", "x" * 70_000, _deep(100),
           {"k": [1]}, HUGE]
HOSTILE_PATHS = ["/dev/zero", "/proc/self/mem", "rel/x.vhd", "~/x.vhd", "a\x00b", "/nonexistent/x"]


def _safe(method: str, name: str, kind: str, home: Path, n: int):
    """A value that gets a request past this parameter without doing harm (nothing found, a file in the home)."""
    special = {"vm": "no-such-vm", "job": 999_999_999, "alert": 999_999_999, "key": "k", "data": "x",
               "destination": "test:///default", "rules": []}
    if name in special:
        return special[name]
    if name == "name":
        return "no-such-switch" if method == "switch.remove" else f"fz{n}"
    if name == "path" or kind == "path":
        return str(home / "fuzz" / f"d{n}.vhd")
    return {"str": "x", "text": "x", "raw": "x", "int": 1, "float": 1.0, "bool": False, "size": 8 * MiB,
            "list": [], "dict": {}}.get(kind, "x")


def _encode(method, params, rid) -> bytes:
    text = json.dumps({"v": 1, "id": rid, "method": method, "params": params})
    return text.replace(json.dumps(HUGE), "9" * 5000).encode() + b"\n"


def structured_requests(home: Path) -> list[bytes]:
    out, n = [], 0
    for method, declared in METHODS.items():
        base = {}
        for p in declared.params:
            if p.required or p.name == "vm":
                n += 1
                base[p.name] = _safe(method, p.name, p.type, home, n)
        if method == "vm.new":
            base.update(memory=32 * MiB, automatic_start_action="nothing")
        if method != "host.stop":  # a valid host.stop would end the campaign's service
            for p in declared.params:
                values = HOSTILE + (HOSTILE_PATHS if p.type == "path" or p.name in ("image", "disk") else [])
                for value in values:
                    n += 1
                    params = {**base, p.name: value}
                    if method == "vm.new" and p.name != "name":
                        params["name"] = f"fz{n}"
                    out.append(_encode(method, params, n))
        for params in ({**base, "bogus": 1}, [1], "x", 7, {**base, "\udfff": 1}, {**base, "vm": _deep(70)}):
            n += 1
            out.append(_encode(method, params, n))
        for p in declared.params:
            if p.required:
                n += 1
                out.append(_encode(method, {k: v for k, v in base.items() if k != p.name}, n))
    for method in ("vm.explode", "", "x" * 1000, "vm.\udfff", "__init__", "shutdown", "_find", "store", "vm.list ",
                   "VM.LIST", "vm..list", "events.subscribe.x", "host.hello.x"):
        n += 1
        out.append(_encode(method, {}, n))
    return out


def raw_requests(rng: random.Random) -> list[bytes]:
    out = [b"\n", b"{}\n", b"[]\n", b'"x"\n', b"null\n", b"NaN\n", b'{"v":1}\n', b'{"v":1,"method":5}\n',
           b'{"v":"1","method":"vm.list"}\n', b'{"v":1,"id":{"a":1},"method":"vm.list"}\n',
           b'{"v":1,"id":1e999,"method":"vm.list"}\n', b'{"v":1,"id":1,"method":"vm.list","params":null}\n',
           b'{"v":1,"method":"vm.show","params":{"vm":"a","vm":"b"}}\n', b"\xff\xfe\n", b"\x00" * 100 + b"\n",
           b'{"v":1,"method":"vm.li\n', b"[" * 1000 + b"]" * 1000 + b"\n", b"{" * 100_000 + b"\n",
           b'{"v":1,"id":1,"method":"vm.list","params":{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}}\n",
           b'{"v":1,"id":1,"method":"vm.list","x":"' + b"a" * (1 << 20) + b'"}\n',
           '{"v":1,"method":"vm.show","params":{"vm":"\ud800"}}\n'.encode("utf-8", "surrogatepass"),
           "\ufeff{}\n".encode("utf-16")]
    for _ in range(60):
        out.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).replace(b"\n", b" ") + b"\n")
    names = [m for m in METHODS if m != "host.stop"]  # a valid host.stop would end the service
    for i in range(40):
        params = {rng.choice(["vm", "name", "job", "x", "memory", "path"]): rng.choice(HOSTILE[:-1])
                  for _ in range(rng.randrange(4))}
        out.append(_encode(rng.choice(names), params, 10_000_000 + i))
    return out


def malformed_phase(svc: Service, rng: random.Random) -> dict:
    requests = structured_requests(svc.home) + raw_requests(rng)
    rng.shuffle(requests)
    kinds, internal, closed, hangs, accepted = Counter(), Counter(), 0, 0, 0
    sock = reader = None
    rss_before = svc.sample_rss()
    t0 = time.monotonic()
    for payload in requests:
        if sock is None:
            sock = socket.socket(socket.AF_UNIX)
            sock.settimeout(ANSWER_TIMEOUT)
            sock.connect(str(svc.paths.socket))
            reader = sock.makefile("rb")
        try:
            sock.sendall(payload)
            line = reader.readline()
        except TimeoutError:
            hangs += 1
            line = None
        except OSError:
            line = b""
        if not line:
            closed += line is not None
            sock.close()
            sock = None
            continue
        reply = json.loads(line)
        if "error" in reply:
            kinds[reply["error"]["kind"]] += 1
            message = reply["error"]["message"]
            if message.startswith("internal error"):
                internal[message[:160]] += 1
        else:
            accepted += 1
        if reply.get("id") is None:  # the service may end such a connection: start a new one
            sock.close()
            sock = None
    if sock is not None:
        sock.close()
    rss_after = svc.sample_rss()
    cleanup = svc.client()
    try:  # the requests that happened to be valid made VMs and switches: remove them for the next phases
        for vm in cleanup.call("vm.list"):
            if vm["name"].startswith("fz") or vm["state"] != "Off":
                if vm["state"] not in ("Off", "Saved", "Configuration error"):
                    wait_job(cleanup, cleanup.call("vm.stop", {"vm": vm["id"], "mode": "turn_off"}))
                wait_job(cleanup, cleanup.call("vm.remove", {"vm": vm["id"]}))
    finally:
        cleanup.close()
    return {"sent": len(requests), "answered": sum(kinds.values()) + accepted, "accepted": accepted,
            "errors_by_kind": dict(kinds), "internal_errors": sum(internal.values()),
            "internal_error_examples": [m for m, _ in internal.most_common(12)], "hangs": hangs,
            "closed_without_answer": closed, "methods_covered": len(METHODS),
            "seconds": round(time.monotonic() - t0, 1),
            "service_rss_mib_before": round(rss_before, 1), "service_rss_mib_after": round(rss_after, 1)}


def wait_job(client: SocketTransport, job: dict, timeout: float = 60.0) -> dict:
    return client.call("job.wait", {"job": job["id"], "timeout": timeout})


# --- kills during changing operations --------------------------------------------------------------------------
class Checks:
    def __init__(self, svc: Service) -> None:
        self.svc = svc
        self.expected: set[str] = set()  # acknowledged vm.new, not asked to be removed since
        self.lost: set[str] = set()
        self.broken: dict[str, str] = {}
        self.leftovers: Counter = Counter()
        self.disk_leftovers = 0
        self.internal = Counter()
        self.hangs = 0
        self.restarts = 0

    def note(self, error: BulkheadError) -> None:
        if str(error).startswith("internal error"):
            self.internal[str(error)[:160]] += 1
        if "timed out" in str(error):  # the client gave up waiting for an answer
            self.hangs += 1

    def after_restart(self) -> list[dict]:
        self.restarts += 1
        client = self.svc.client()
        try:
            vms = client.call("vm.list")
        finally:
            client.close()
        for vm in vms:
            if vm["state"] == "Configuration error" and vm["id"] not in self.broken:
                self.broken[vm["id"]] = vm.get("reason", "")
        listed = {vm["name"] for vm in vms if vm["state"] != "Configuration error"}
        missing = self.expected - listed
        self.lost |= missing
        self.expected -= missing
        for path in temp_files(self.svc.home, skip=("disks", "cwd", "fuzz")):
            self.leftovers[path] += 1
        disks = self.svc.home / "disks"
        self.disk_leftovers += len(temp_files(disks))
        shutil.rmtree(disks, ignore_errors=True)  # bounded disk use: the next disk op starts afresh
        disks.mkdir()
        return vms


def _send_and_forget(path: Path, method: str, params: dict) -> None:
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(path))
            s.sendall(json.dumps({"v": 1, "id": 1, "method": method, "params": params}).encode() + b"\n")
            s.settimeout(2)
            s.recv(100)
    except OSError:
        pass


def kill_phase(svc: Service, checks: Checks, rng: random.Random, kills: int, deadline: float) -> dict:
    acked, refused, unanswered = Counter(), Counter(), 0
    population: list[str] = []
    (svc.home / "disks").mkdir(exist_ok=True)
    done = 0
    for i in range(kills):
        if time.monotonic() > deadline:
            break
        ops = ["vm.new", "disk.new", "switch.new"] + (["vm.set", "vm.set", "vm.remove"] if population else [])
        if len(population) < 4:
            ops += ["vm.new"] * 3
        method = rng.choice(ops)
        if method == "vm.new":
            params = {"name": f"k{i}", "memory": 32 * MiB, "automatic_start_action": "nothing",
                      "notes": "n" * rng.randrange(0, 4000)}
        elif method == "vm.set":
            params = {"vm": rng.choice(population), "notes": "s" * rng.randrange(0, 4000),
                      "memory": rng.choice([32 * MiB, 64 * MiB])}
        elif method == "vm.remove":
            params = {"vm": rng.choice(population)}
            checks.expected.discard(params["vm"])  # from now on it may or may not be there
        elif method == "disk.new":
            params = {"path": str(svc.home / "disks" / f"d{i}.vhd"), "size": rng.choice([16 * MiB, 64 * MiB]),
                      "kind": rng.choice(["dynamic", "fixed"])}
        else:
            params = {"name": f"s{i}", "type": rng.choice(["private", "internal"])}
        if rng.random() < 0.25:  # killed before it could answer
            threading.Thread(target=_send_and_forget, args=(svc.paths.socket, method, params), daemon=True).start()
            time.sleep(rng.uniform(0, 0.01))
            unanswered += 1
        else:
            client = svc.client()
            try:
                client.call(method, params)
                acked[method] += 1
                if method == "vm.new":
                    checks.expected.add(params["name"])
            except BulkheadError as e:
                refused[f"{method}: {e.kind}"] += 1
                checks.note(e)
            finally:
                client.close()
            time.sleep(rng.uniform(0, 0.02))
        svc.kill()
        svc.start()
        vms = checks.after_restart()
        population = [vm["name"] for vm in vms if vm["state"] != "Configuration error"]
        done += 1
    return {"kills": done, "acknowledged": dict(acked), "killed_before_answering": unanswered,
            "refused": dict(refused)}


# --- kills during saves ----------------------------------------------------------------------------------------
def _state(client: SocketTransport, name: str) -> dict:
    return client.call("vm.show", {"vm": name})


def save_phase(svc: Service, checks: Checks, rng: random.Random, kills: int, deadline: float) -> dict:
    outcomes, failures = Counter(), Counter()
    client = svc.client()
    saver = {"name": "saver", "memory": 256 * MiB, "workload": "dirty:500", "automatic_start_action": "nothing"}
    wait_job(client, client.call("vm.new", saver))  # a busy 256 MiB guest: a save takes long enough to be hit
    client.close()
    save_seconds = None
    done = 0
    while done < kills and time.monotonic() < deadline:
        client = svc.client()
        try:
            vm = _state(client, "saver")
            if vm["state"] != "Running":
                job = wait_job(client, client.call("vm.start", {"vm": "saver"}))
                if job.get("state") != "Completed":
                    failures[f"start from {vm['state']}: {job.get('error') or job.get('state')}"[:160]] += 1
                    if vm["state"] == "Saved":
                        wait_job(client, client.call("vm.stop", {"vm": "saver", "mode": "turn_off"}))
                    continue
            time.sleep(rng.uniform(0.05, 0.3))  # let it run
            job = client.call("vm.stop", {"vm": "saver", "mode": "save"})
            if save_seconds is None:  # the first save runs to its end: how long one takes
                t0 = time.monotonic()
                wait_job(client, job)
                save_seconds = time.monotonic() - t0
                continue
            time.sleep(rng.uniform(0, save_seconds * 2))  # during the save, now and then just after it
        except BulkheadError as e:
            checks.note(e)
            failures[f"{e.kind}: {e}"[:160]] += 1
            continue
        finally:
            client.close()
        svc.kill()
        svc.start()
        done += 1
        vms = {vm["name"]: vm for vm in checks.after_restart()}
        saver = vms.get("saver")
        outcomes[saver["state"] if saver else "missing"] += 1
        if saver and saver.get("saved_state_problem"):
            outcomes["saved state reported damaged"] += 1
    return {"kills": done, "one_save_seconds": round(save_seconds or 0, 3), "state_after_restart": dict(outcomes),
            "problems": dict(failures)}


# --- idle connections (held by tests/helpers/sockets.py's holder program) ----------------------------------------


def _normal_client(svc: Service) -> dict:
    t0 = time.monotonic()
    try:
        client = svc.client()
        client.call("vm.list")
        client.close()
        api = {"api_vm_list_ms": round((time.monotonic() - t0) * 1000, 1)}
    except (OSError, BulkheadError) as e:
        api = {"api_vm_list_ms": None, "api_error": str(e)}
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "core.cli", "vm", "list"], env=svc.env, cwd=svc.cwd,
                       capture_output=True, text=True, timeout=120)
    return api | {"cli_vm_list_s": round(time.monotonic() - t0, 2), "cli_exit": r.returncode,
                  **({"cli_error": r.stderr.strip()[-200:]} if r.returncode else {})}


def idle_phase(svc: Service) -> dict:
    out = {}
    for label, programs, idle, half in (("64 held by 8 programs", 8, 4, 4), ("64 opened by one program", 1, 32, 32)):
        holders = [start_holder(svc.paths.socket, idle, half) for _ in range(programs)]
        try:
            for h in holders:
                h.stdout.readline()
            time.sleep(1.5)  # every one of them idle for longer than the service's eviction threshold
            out[label] = _normal_client(svc)
        finally:
            for h in holders:
                h.stdin.close()
                h.wait(timeout=30)
    out["service_rss_mib"] = round(svc.sample_rss(), 1)
    return out


# --- hostile command lines -------------------------------------------------------------------------------------
def hostile_cli(svc: Service) -> dict:
    loop = svc.cwd / "loop"
    if not os.path.lexists(loop):
        os.symlink(loop, loop)
    cases = [["vm", "new", "c1", "--memory", v] for v in ("inf", "nan", "1e400", "-1", "99999999999999999999G",
                                                         "abc", "0", "1e3M")]
    cases += [["vm", "new", v] for v in ("", b"\xff", "a\u202eb", "x" * 300, "zero\u200bwidth", "\ufeffbom", "../x",
                                        "a/b")]
    cases += [["vm", "new", "c2", "--vcpus", v] for v in ("0", "100000", "1.5", "-3")]
    cases += [["vm", "new", "c3", "--image", v] for v in ("/dev/zero", "/proc/self/mem", str(loop), "/nonexistent.elf",
                                                         "/")]
    cases += [["vm", "new", "c4", "--disk", v] for v in (str(loop), "/nonexistent/x.vhd", "/dev/zero")]
    cases += [["disk", "new", "d.vhd", "--size", v] for v in ("inf", "1e400", "-5", "0", "nan", "9" * 40)]
    cases += [["job", "show", v] for v in ("99999999999999999999", "-1", "abc", "1e5")]
    cases += [["alert", "ack", v] for v in ("99999999999999999999", "x", "0")]
    cases += [["vm", "show", "no-such-vm"], ["vm", "start", "no-such-vm"], ["vm", "remove", "no-such-vm"],
              ["switch", "new", b"\xff"], ["switch", "new", ""], ["vm", "set", "no-such-vm", "--memory", "1G"],
              ["vm", "frobnicate"], ["--bogus"], ["vm", "list", "--bogus"], ["job", "wait", "1", "--timeout", "inf"]]
    results, tracebacks, others = Counter(), 0, []
    for args in cases:
        r = subprocess.run([sys.executable, "-m", "core.cli", *args], env=svc.env, cwd=svc.cwd, capture_output=True,
                           timeout=120)
        results[r.returncode] += 1
        tb = b"Traceback" in r.stderr
        tracebacks += tb
        if r.returncode != 2 or tb:
            shown = [a.decode("utf-8", "backslashreplace") if isinstance(a, bytes) else a[:40] for a in args]
            others.append({"args": shown, "exit": r.returncode,
                           "stderr": r.stderr.decode("utf-8", "replace").strip()[-200:]})
    return {"invocations": len(cases), "exit_codes": {str(k): v for k, v in sorted(results.items())},
            "tracebacks": tracebacks, "not_exit_2": others}


# --- the campaign ----------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs during changing operations (200)")
    parser.add_argument("--save-kills", type=int, default=20, help="SIGKILLs during saves (20)")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="stop the kill phases after this long")
    parser.add_argument("--keep", action="store_true", help="keep the temporary BULKHEAD_HOME")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    home = Path(tempfile.mkdtemp(prefix="bulkhead-campaign-"))
    svc = Service(home)
    checks = Checks(svc)
    report: dict = {"seed": args.seed, "home": str(home)}
    t0 = time.monotonic()
    deadline = t0 + args.max_seconds
    try:
        svc.start()
        report["service_rss_mib_fresh"] = round(svc.sample_rss(), 1)
        report["malformed_requests"] = malformed_phase(svc, rng)
        report["idle_connections"] = idle_phase(svc)
        report["hostile_cli"] = hostile_cli(svc)
        report["kills_during_changes"] = kill_phase(svc, checks, rng, args.kills, deadline)
        report["kills_during_saves"] = save_phase(svc, checks, rng, args.save_kills, deadline + 120)
    except (Hang, TimeoutError) as e:
        checks.hangs += 1
        report["stopped_by"] = f"hang: {e}"
    except Exception as e:  # the campaign reports what it got so far
        import traceback

        report["stopped_by"] = f"{type(e).__name__}: {e}"
        report["stopped_at"] = traceback.format_exc().strip().splitlines()[-3:]
    finally:
        svc.stop()
    starts = svc.start_times[1:] or svc.start_times
    report["restarts"] = checks.restarts
    report["restart_seconds"] = {"median": round(statistics.median(starts), 2) if starts else None,
                                 "max": round(max(starts), 2) if starts else None}
    report["service_rss_mib_max"] = round(svc.rss_max, 1)
    idle = report.get("idle_connections", {}).get("64 held by 8 programs", {})
    report["normal_client_wait_ms_with_64_idle_connections_held"] = idle.get("api_vm_list_ms")
    report["leftover_temp_files_in_the_disk_folder"] = checks.disk_leftovers
    report["leftover_examples"] = sorted(checks.leftovers)[:10]
    report["broken_examples"] = sorted(set(checks.broken.values()))[:10]
    report["lost_examples"] = sorted(checks.lost)[:10]
    report["internal_error_examples_during_kills"] = [m for m, _ in checks.internal.most_common(5)]
    malformed = report.get("malformed_requests", {})
    zero = {
        "internal_errors": malformed.get("internal_errors", 0) + sum(checks.internal.values()),
        "hangs": malformed.get("hangs", 0) + checks.hangs,
        "lost_acknowledged_vms": len(checks.lost),
        "broken_configurations": len(checks.broken),
        "leftover_temp_files_after_restart": len(checks.leftovers),
        "cli_tracebacks": report.get("hostile_cli", {}).get("tracebacks", 0),
        "cli_not_exit_2": len(report.get("hostile_cli", {}).get("not_exit_2", [])),
    }
    report["must_be_zero"] = zero
    report["seconds"] = round(time.monotonic() - t0, 1)
    report["ok"] = not any(zero.values()) and "stopped_by" not in report
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
