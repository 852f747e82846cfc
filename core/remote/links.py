"""The two ways to a remote host service; each ``open(timeout)`` gives a socket the transport speaks the protocol on:

- ``SshLink``: the system's OpenSSH client (the user's keys, agent and ~/.ssh/config, ``BatchMode`` so it never
  prompts) runs ``bulkhead host proxy`` on the far side; its stdin and stdout are one end of a socket pair. The
  links to one host (requests, each event stream) share one ssh connection (OpenSSH's ControlMaster, its socket in
  a private folder, kept ``CONTROL_PERSIST`` s after the last link closes): one authentication, and a second
  channel opens in milliseconds. The shared connection sends the keepalives, so a cut link still ends every
  channel on it; a control socket left by a dead connection is replaced by ssh, and without a private folder (or
  with BULKHEAD_SSH_SHARE=0) each link opens its own connection.
- ``TlsLink``: TCP and TLS 1.3 with this machine's client certificate, the host's certificate checked against the
  CA and the host name.

``failure(sock, error)`` says why a link that was opened ended before the host answered: what ssh printed (its own
words), or what the TLS alert means (with TLS 1.3 a refused client certificate shows on the first read).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import shlex
import socket
import ssl
import subprocess
import tempfile
import threading

from core.model.errors import ProtocolError, ServiceUnavailable

from .uri import SSH, RemoteTarget

REAP_WAIT = 3.0  # seconds an ssh client has to exit after its socket closed, before it is terminated
CONTROL_PERSIST = 60  # seconds a shared ssh connection outlives its last link
CONTROL_NAME = 24  # hex characters naming one shared connection
SUN_PATH_MAX = 107  # a Unix socket's path (ssh binds ControlPath plus "." and 16 random characters, then renames)


def control_dir() -> str | None:
    """The private folder (0700, this user's) for ssh's shared connections: under $XDG_RUNTIME_DIR, else
    /tmp/bulkhead-ssh-UID; None where neither can be had short and plain enough for a socket path."""
    from core.hosts.paths import private_dir

    runtime = os.environ.get("XDG_RUNTIME_DIR")
    candidates = [os.path.join(runtime, "bulkhead-ssh")] if runtime and os.path.isabs(runtime) else []
    for folder in [*candidates, f"/tmp/bulkhead-ssh-{os.getuid()}"]:
        if len(folder) + 1 + CONTROL_NAME + 17 > SUN_PATH_MAX or any(c in folder for c in " \t\n\"'%\\"):
            continue  # too long for a socket, or not writable plainly in an ssh option
        try:
            return str(private_dir(folder, "folder for shared ssh connections"))
        except OSError:
            continue
    return None


class SshLink:
    def __init__(self, target: RemoteTarget, share: bool = True) -> None:
        self.target = target
        self._procs: dict[int, tuple[subprocess.Popen, object]] = {}
        self._lock = threading.Lock()
        folder = control_dir() if share and os.environ.get("BULKHEAD_SSH_SHARE", "1") != "0" else None
        self.control_path = os.path.join(folder, self._control_name()) if folder else None

    def _control_name(self) -> str:
        """One shared connection per way of reaching a host: the ssh program, host, port, user, key and known_hosts
        file (another key or known_hosts file never rides on a connection authenticated with the first)."""
        t, o = self.target, self.target.options
        what = [os.environ.get("BULKHEAD_SSH", "ssh"), t.host, str(t.port or ""), t.user or "",
                o.get("keyfile", ""), o.get("known_hosts", "")]
        return hashlib.sha256("\0".join(what).encode()).hexdigest()[:CONTROL_NAME]

    def ssh_options(self) -> list[str]:
        """How ssh reaches the host: the URI's port, user, key and known_hosts, the shared connection."""
        t, o = self.target, self.target.options
        argv = []
        if self.control_path:
            argv += ["-o", "ControlMaster=auto", "-o", f"ControlPath={self.control_path}",
                     "-o", f"ControlPersist={CONTROL_PERSIST}"]
        if t.port:
            argv += ["-p", str(t.port)]
        if t.user:
            argv += ["-l", t.user]
        if "keyfile" in o:
            argv += ["-i", o["keyfile"], "-o", "IdentitiesOnly=yes"]
        if "known_hosts" in o:
            argv += ["-o", f"UserKnownHostsFile={o['known_hosts']}"]
        return argv

    def argv(self, timeout: float) -> list[str]:
        argv = [os.environ.get("BULKHEAD_SSH", "ssh"), "-T", "-e", "none", "-o", "BatchMode=yes",
                "-o", f"ConnectTimeout={max(1, math.ceil(timeout))}", "-o", "ServerAliveInterval=1",
                "-o", "ServerAliveCountMax=3", "-o", "LogLevel=ERROR", *self.ssh_options()]
        return [*argv, "--", self.target.host, self.remote_command()]

    def control(self, command: str, timeout: float = 5.0) -> subprocess.CompletedProcess | None:
        """``ssh -O command`` (check, exit) on this link's shared connection; None if it shares none."""
        if not self.control_path:
            return None
        argv = [os.environ.get("BULKHEAD_SSH", "ssh"), "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                *self.ssh_options(), "-O", command, "--", self.target.host]
        try:
            return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            return None

    def exit_master(self) -> None:
        """End the shared connection now (its channels with it): the next link connects from scratch."""
        self.control("exit")

    def remote_command(self) -> str:
        """What the far side's shell runs: its ``bulkhead`` (the URI's command, BULKHEAD_REMOTE_COMMAND or
        ``bulkhead``), with the URI's home, ``host proxy``."""
        o = self.target.options
        command = shlex.split(o.get("command") or os.environ.get("BULKHEAD_REMOTE_COMMAND") or "bulkhead")
        if "home" in o:
            command += ["--home", o["home"]]
        return shlex.join([*command, "host", "proxy"])

    def open(self, timeout: float) -> socket.socket:
        ours, theirs = socket.socketpair()
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - read when ssh fails, closed when it is reaped
        try:
            proc = subprocess.Popen(self.argv(timeout), stdin=theirs, stdout=theirs, stderr=errors,
                                    start_new_session=True, close_fds=True)
        except OSError as e:
            ours.close()
            errors.close()
            raise ServiceUnavailable(f"cannot run ssh to reach {self.target.display}: {e.strerror or e}") from None
        finally:
            theirs.close()
        with self._lock:
            self._procs[id(ours)] = (proc, errors)
        return ours

    def failure(self, sock: socket.socket, error: str) -> str:
        """Why the far side did not answer: ssh's last words once it exited, else ``error``."""
        with self._lock:
            proc, errors = self._procs.get(id(sock), (None, None))
        if proc is None:
            return error
        try:
            code = proc.wait(2.0)
        except subprocess.TimeoutExpired:
            return error
        errors.seek(0)
        lines = [line.strip() for line in errors.read()[-4096:].decode("utf-8", "replace").splitlines()
                 if line.strip()]
        said = lines[-1] if lines else f"ssh exited with code {code}"
        if code == 255:
            return f"ssh: {said}" + _ssh_hint(said)
        return f"the far side's bulkhead host proxy: {said.removeprefix('bulkhead: ')}"

    def release(self, sock: socket.socket) -> None:
        """Close ``sock``; its ssh client then exits (reaped in the background, terminated if it lingers)."""
        try:
            sock.close()
        except OSError:
            pass
        with self._lock:
            proc, errors = self._procs.pop(id(sock), (None, None))
        if proc is not None:
            threading.Thread(target=_reap, args=(proc, errors), daemon=True, name="bulkhead-ssh-reaper").start()

    def close(self) -> None:
        with self._lock:
            procs, self._procs = list(self._procs.values()), {}
        for proc, errors in procs:
            _reap(proc, errors, wait=0.5)


def _ssh_hint(said: str) -> str:
    low = said.lower()
    if "permission denied" in low:
        return " (ssh needs a key it can use without asking: ssh-copy-id, ssh-add, or ?keyfile=PATH)"
    if "host key verification failed" in low or "no " in low and "host key is known" in low:
        return " (the host's key is not known here: connect once with ssh to check and accept it)"
    return ""


def _reap(proc: subprocess.Popen, errors, wait: float = REAP_WAIT) -> None:
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(2.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    finally:
        errors.close()


KEEPALIVE = (("TCP_KEEPIDLE", 1), ("TCP_KEEPINTVL", 1), ("TCP_KEEPCNT", 2), ("TCP_USER_TIMEOUT", 3000))


class TlsLink:
    def __init__(self, target: RemoteTarget) -> None:
        from core.hosts.certs import Pki, pki_dir

        self.target = target
        self.pki = Pki(target.options.get("pkipath") or pki_dir())
        self.context = self.pki.client_context()

    def open(self, timeout: float) -> socket.socket:
        t = self.target
        try:
            raw = socket.create_connection((t.host, t.port), timeout=timeout)
        except TimeoutError:
            raise ServiceUnavailable(f"cannot reach {t.display}: no answer within {timeout:g} s") from None
        except OSError as e:
            raise ServiceUnavailable(f"cannot reach {t.display}: {e.strerror or e}") from None
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        # a far side that vanished ends the link within ~3 s also while a request is in flight (no probe can go
        # then): keepalives after 1 s of silence, and data left unacknowledged for 3 s drops the connection
        for opt, value in KEEPALIVE:
            if hasattr(socket, opt):
                raw.setsockopt(socket.IPPROTO_TCP, getattr(socket, opt), value)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            return self.context.wrap_socket(raw, server_hostname=t.host)
        except ssl.SSLError as e:
            raw.close()
            raise ProtocolError(f"cannot connect to {t.display}: {self.reason(e)}") from None
        except TimeoutError:
            raw.close()
            raise ServiceUnavailable(f"cannot connect to {t.display}: the TLS handshake did not finish within "
                                     f"{timeout:g} s") from None
        except OSError as e:
            raw.close()
            raise ServiceUnavailable(f"cannot connect to {t.display}: the TLS handshake failed "
                                     f"({e.strerror or e or 'timed out'})") from None

    def failure(self, sock: socket.socket, error: str) -> str:
        return error

    def reason(self, e: BaseException) -> str:
        return tls_reason(e, self.target.host, str(self.pki.ca_cert))

    def release(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.close()

    def close(self) -> None:
        pass


_ALERTS = {
    "TLSV1_ALERT_UNKNOWN_CA": "the host does not trust this client's certificate: it was not issued by the host's CA",
    "SSLV3_ALERT_CERTIFICATE_EXPIRED": "the host refused this client's certificate: it has expired (or is not "
                                       "valid yet); ask for a new one (bulkhead host certs client NAME)",
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "the host requires a client certificate and none was sent",
    "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE": "the host refused this client's certificate: it is not a client "
                                           "certificate",
    "SSLV3_ALERT_BAD_CERTIFICATE": "the host refused this client's certificate",
    "TLSV1_ALERT_ACCESS_DENIED": "the host refuses this address for now after too many failed attempts; try again "
                                 "in a minute",
    "TLSV1_ALERT_PROTOCOL_VERSION": "the host and this client share no TLS version (Bulkhead speaks TLS 1.3 only)",
    "WRONG_VERSION_NUMBER": "the far side does not speak TLS (is this a Bulkhead TLS port?)",
    "RECORD_LAYER_FAILURE": "the far side does not speak TLS (is this a Bulkhead TLS port?)",
}


def tls_reason(e: BaseException, host: str, ca: str) -> str:
    """A TLS failure as a client can act on it."""
    if isinstance(e, ssl.SSLCertVerificationError):
        why = e.verify_message or str(e)
        if "mismatch" in why.lower():
            return (f"the host's certificate does not name {host} (on the host: bulkhead host certs host "
                    f"{host} ...)")
        if "issuer" in why or "self-signed" in why or "self signed" in why:
            return f"the host's certificate was not issued by the CA this machine trusts ({ca}): {why}"
        return f"cannot trust the host's certificate: {why}"
    if isinstance(e, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        return "the host closed the connection during the TLS handshake"
    reason = getattr(e, "reason", None)
    if reason in _ALERTS:
        return _ALERTS[reason]
    if isinstance(e, TimeoutError):
        return "the TLS handshake did not finish in time"
    return f"TLS failed: {reason or e}"


def make_link(target: RemoteTarget):
    return SshLink(target) if target.scheme == SSH else TlsLink(target)

