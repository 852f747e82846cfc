"""Certificates for Bulkhead hosts reached over TLS (``bulkhead+tls://``), made with the ``cryptography`` library.

One certificate authority (CA) signs the host certificates (with the host's names in subjectAltName, for
``serverAuth``) and the client certificates (the client's name as its common name, for ``clientAuth``). A host
service accepts a client whose certificate chains to its CA and whose name is on its allow-list; a client accepts
a host whose certificate chains to the same CA and names the host it dialled. Everything lives in one folder,
``pki_dir()``: ``$BULKHEAD_HOME/pki`` where BULKHEAD_HOME (or --home) is set, else ``pki`` in the XDG config
folder (platformdirs); the folder is 0700, every private key 0600::

    ca-cert.pem, ca-key.pem          the CA (the key only on the machine that made it)
    host-cert.pem, host-key.pem      this host's certificate (bulkhead host serve --listen)
    client-cert.pem, client-key.pem  this machine's client certificate (bulkhead+tls:// connections)
    issued/NAME/                     client bundles made here, to copy to that client (bulkhead host certs import)
    clients.json                     the allow-list of client names
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
from pathlib import Path

from core.model.errors import NotFound, UsageError
from core.model.files import read_json_list, write_atomic, write_json_atomic

from .paths import private_dir

CA_DAYS = 3650
CERT_DAYS = 825
DAYS_MAX = 36500
ALLOW_FILE = "clients.json"
_CLIENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_DNS_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def pki_dir(home: str | os.PathLike | None = None) -> Path:
    """Where this machine's certificates live (see the module's docstring)."""
    home = home or os.environ.get("BULKHEAD_HOME")
    if home:
        return Path(home).expanduser().resolve() / "pki"
    import platformdirs

    return Path(platformdirs.user_config_dir("bulkhead", appauthor=False)) / "pki"


def check_client_name(name: object) -> str:
    if not isinstance(name, str) or not _CLIENT_NAME.fullmatch(name):
        raise UsageError(f"{name!r} is not a client name: 1 to 64 letters, digits, '.', '_', '@' or '-', starting "
                         f"with a letter or digit")
    return name


def check_host_name(name: str) -> str:
    """A DNS name or an IP address for a host certificate's subjectAltName."""
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        pass
    labels = name.rstrip(".").split(".")
    if not name or len(name) > 253 or not all(_DNS_LABEL.fullmatch(label) for label in labels):
        raise UsageError(f"{name!r} is not a host name or an IP address")
    return name.rstrip(".").lower()


def default_host_names() -> list[str]:
    """The names a host certificate gets when none are given: this machine's names and the loopback addresses."""
    names = [socket.gethostname(), socket.getfqdn(), "localhost", "127.0.0.1", "::1"]
    out: list[str] = []
    for name in names:
        try:
            name = check_host_name(name)
        except UsageError:
            continue
        if name not in out:
            out.append(name)
    return out


def _crypto():
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        raise UsageError("making certificates needs the cryptography library (pip install 'cryptography>=41')") \
            from None
    return x509, hashes, serialization, ec


class Pki:
    """One machine's certificate folder."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder else pki_dir()
        self._allow_cache: tuple[float, int, frozenset[str]] | None = None
        self._lock = threading.Lock()

    ca_cert = property(lambda self: self.folder / "ca-cert.pem")
    ca_key = property(lambda self: self.folder / "ca-key.pem")
    host_cert = property(lambda self: self.folder / "host-cert.pem")
    host_key = property(lambda self: self.folder / "host-key.pem")
    client_cert = property(lambda self: self.folder / "client-cert.pem")
    client_key = property(lambda self: self.folder / "client-key.pem")
    allow_file = property(lambda self: self.folder / ALLOW_FILE)

    def _private(self) -> Path:
        return private_dir(self.folder, "certificate folder")

    # --- making certificates --------------------------------------------------------------------------------
    def make_ca(self, name: str = "", days: int = CA_DAYS) -> dict:
        """A new CA here; refused if there is one (a new CA would orphan every certificate it signed)."""
        _days(days)
        if self.ca_cert.exists():
            raise UsageError(f"{self.folder} already holds a CA ({describe(self.ca_cert)['subject']}); remove "
                             f"ca-cert.pem and ca-key.pem first to make another")
        x509, hashes, serialization, ec = _crypto()
        key = ec.generate_private_key(ec.SECP256R1())
        subject = _name(x509, name or f"Bulkhead CA on {socket.gethostname()}")
        now = _now()
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                .not_valid_after(now + dt.timedelta(days=days))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                               critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        self._private()
        _write_key(self.ca_key, key)
        write_atomic(self.ca_cert, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        return describe(self.ca_cert)

    def make_host(self, names: list[str] | None = None, days: int = CERT_DAYS) -> dict:
        """This host's certificate for ``names`` (DNS names and IP addresses), signed by the CA here."""
        names = [check_host_name(n) for n in (names or default_host_names())]
        cert, key = self._issue(names[0], names, server=True, days=days)
        _write_key(self.host_key, key)
        write_atomic(self.host_cert, cert, 0o644)
        return describe(self.host_cert)

    def make_client(self, name: str, days: int = CERT_DAYS, out: str | os.PathLike | None = None,
                    not_before: dt.datetime | None = None, not_after: dt.datetime | None = None) -> dict:
        """A client certificate for ``name``, written with the CA's certificate as a bundle to copy to that client
        (``out``, or ``issued/NAME`` here). ``not_before``/``not_after`` override the validity (tests)."""
        check_client_name(name)
        cert, key = self._issue(name, [], server=False, days=days, not_before=not_before, not_after=not_after)
        if not out:
            private_dir(self.folder / "issued", "folder of client bundles")
        folder = Path(out) if out else self.folder / "issued" / name
        private_dir(folder, "client bundle folder")
        _write_key(folder / "client-key.pem", key)
        write_atomic(folder / "client-cert.pem", cert, 0o644)
        write_atomic(folder / "ca-cert.pem", self.ca_cert.read_bytes(), 0o644)
        return describe(folder / "client-cert.pem") | {"bundle": str(folder)}

    def _issue(self, common_name: str, names: list[str], server: bool, days: int,
               not_before: dt.datetime | None = None, not_after: dt.datetime | None = None) -> tuple[bytes, object]:
        _days(days)
        if not self.ca_key.exists():
            raise NotFound(f"no CA in {self.folder} (its key signs certificates): make one with bulkhead host "
                           f"certs ca, or make this certificate where the CA is")
        x509, hashes, serialization, ec = _crypto()
        from cryptography.x509.oid import ExtendedKeyUsageOID

        ca_key = serialization.load_pem_private_key(self.ca_key.read_bytes(), None)
        ca = x509.load_pem_x509_certificate(self.ca_cert.read_bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        now = _now()
        start = not_before or now - dt.timedelta(minutes=5)
        builder = (x509.CertificateBuilder().subject_name(_name(x509, common_name)).issuer_name(ca.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(not_after or now + dt.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False),
                                  critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH if server
                                                         else ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                  critical=False))
        if names:
            alt = []
            for n in names:
                try:
                    alt.append(x509.IPAddress(ipaddress.ip_address(n)))
                except ValueError:
                    alt.append(x509.DNSName(n))
            builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
        cert = builder.sign(ca_key, hashes.SHA256())
        return cert.public_bytes(serialization.Encoding.PEM), key

    def import_bundle(self, folder: str | os.PathLike) -> dict:
        """Take a client bundle (ca-cert.pem, client-cert.pem, client-key.pem) as this machine's client identity.
        A CA certificate different from the one here is refused: that would change whom this machine trusts."""
        folder = Path(folder)
        files = {n: folder / n for n in ("ca-cert.pem", "client-cert.pem", "client-key.pem")}
        missing = [n for n, p in files.items() if not p.is_file()]
        if missing:
            raise UsageError(f"{folder} is not a client bundle: {', '.join(missing)} missing (bulkhead host certs "
                             f"client NAME makes one)")
        ca = files["ca-cert.pem"].read_bytes()
        if self.ca_cert.exists() and self.ca_cert.read_bytes() != ca:
            raise UsageError(f"{self.folder} already trusts another CA ({describe(self.ca_cert)['subject']}); use "
                             f"another folder for this host (bulkhead+tls://HOST/?pkipath=DIR)")
        self._private()
        write_atomic(self.client_key, files["client-key.pem"].read_bytes(), 0o600)
        write_atomic(self.client_cert, files["client-cert.pem"].read_bytes(), 0o644)
        if not self.ca_cert.exists():
            write_atomic(self.ca_cert, ca, 0o644)
        return describe(self.client_cert)

    # --- what is here --------------------------------------------------------------------------------------
    def show(self) -> dict:
        out = {"folder": str(self.folder)}
        for what, path in (("ca", self.ca_cert), ("host", self.host_cert), ("client", self.client_cert)):
            out[what] = describe(path) if path.exists() else None
        out["ca_key"] = self.ca_key.exists()
        issued = self.folder / "issued"
        out["issued"] = sorted(p.name for p in issued.iterdir()) if issued.is_dir() else []
        out["allowed"] = self.allowed()
        return out

    # --- the allow-list ------------------------------------------------------------------------------------
    def _read_allow(self) -> list[dict]:
        items = read_json_list(self.allow_file, "allowed")
        return [i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)]

    def allowed(self) -> list[dict]:
        """[{"name", "added"}] of every client this host accepts."""
        return self._read_allow()

    def allow(self, name: str) -> dict:
        check_client_name(name)
        with self._lock:
            self._private()
            items = self._read_allow()
            for item in items:
                if item["name"] == name:
                    return item
            item = {"name": name, "added": time.time()}
            write_json_atomic(self.allow_file, {"format": 1, "allowed": [*items, item]})
            return item

    def deny(self, name: str) -> dict:
        with self._lock:
            items = self._read_allow()
            kept = [i for i in items if i["name"] != name]
            if len(kept) == len(items):
                raise NotFound(f"{name!r} is not on the allow-list of {self.folder}")
            write_json_atomic(self.allow_file, {"format": 1, "allowed": kept})
            return next(i for i in items if i["name"] == name)

    def is_allowed(self, name: str) -> bool:
        """Whether ``name`` is on the allow-list, read again whenever the file changed (allow and deny take
        effect on the next connection without restarting the service). A damaged list allows nobody."""
        try:
            st = os.stat(self.allow_file)
            key = (st.st_mtime, st.st_size)
        except OSError:
            return False
        cache = self._allow_cache
        if cache is None or cache[:2] != key:
            try:
                names = frozenset(i["name"] for i in self._read_allow())
            except UsageError:
                names = frozenset()
            cache = self._allow_cache = (*key, names)
        return name in cache[2]

    # --- TLS contexts --------------------------------------------------------------------------------------
    def server_context(self) -> ssl.SSLContext:
        """TLS 1.3 only; a client certificate is required and must chain to this host's CA."""
        self._need(self.ca_cert, "CA certificate", "bulkhead host certs ca")
        self._need(self.host_cert, "host certificate", "bulkhead host certs host [NAME ...]")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=str(self.ca_cert))
        ctx.load_cert_chain(str(self.host_cert), str(self.host_key))
        ctx.num_tickets = 0  # no session resumption: every connection shows its certificate
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """TLS 1.3 only; the host's certificate must chain to the CA here and name the host dialled."""
        self._need(self.client_cert, "client certificate", "bulkhead host certs import BUNDLE")
        self._need(self.ca_cert, "CA certificate", "bulkhead host certs import BUNDLE")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_verify_locations(cafile=str(self.ca_cert))
        ctx.load_cert_chain(str(self.client_cert), str(self.client_key))
        return ctx

    def _need(self, path: Path, what: str, how: str) -> None:
        if not path.exists():
            raise NotFound(f"{self.folder} holds no {what} ({path.name}); make it with: {how}")


def peer_name(cert: dict | None) -> str:
    """The common name of a certificate as ssl.SSLSocket.getpeercert() gives it ("" if none)."""
    for rdn in (cert or {}).get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return value
    return ""


def describe(path: str | os.PathLike) -> dict:
    """subject, issuer, names, validity and SHA-256 fingerprint of a PEM certificate."""
    x509, hashes, _serialization, _ec = _crypto()
    cert = x509.load_pem_x509_certificate(Path(path).read_bytes())
    try:
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(v) for v in alt.get_values_for_type(x509.DNSName)] + \
                [str(v) for v in alt.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    cn = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    issuer = cert.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return {"path": str(path), "subject": cn[0].value if cn else cert.subject.rfc4514_string(),
            "issuer": issuer[0].value if issuer else cert.issuer.rfc4514_string(), "names": names,
            "not_before": _utc(cert, "not_valid_before").isoformat(),
            "not_after": _utc(cert, "not_valid_after").isoformat(),
            "sha256": cert.fingerprint(hashes.SHA256()).hex(":")}


def _utc(cert, attr: str) -> dt.datetime:
    value = getattr(cert, attr + "_utc", None)  # cryptography 42 and later
    return value if value is not None else getattr(cert, attr).replace(tzinfo=dt.UTC)


def _days(days: int) -> None:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= DAYS_MAX:
        raise UsageError(f"days must be a whole number from 1 to {DAYS_MAX} (got {days!r})")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name(x509, common_name: str):
    return x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "Bulkhead")])


def _write_key(path: Path, key) -> None:
    from cryptography.hazmat.primitives import serialization

    private_dir(path.parent, "certificate folder")
    write_atomic(path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()), 0o600)
