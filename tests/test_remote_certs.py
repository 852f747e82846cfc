"""Certificates for bulkhead+tls:// (a CA, host certificates with the host's names in subjectAltName, client
certificates), the allow-list, and the command line that makes and keeps them: keys 0600 in a 0700 folder, one-line
refusals, and ``host serve --listen`` that will not start without what it needs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

pytest.importorskip("cryptography", reason="certificates need the cryptography library (pip install cryptography)")

from cryptography import x509  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID  # noqa: E402

from core.cli import main  # noqa: E402
from core.hosts.certs import Pki, check_client_name, pki_dir  # noqa: E402
from core.local.tls import FailureLimiter, parse_listen  # noqa: E402
from core.model.errors import NotFound, UsageError  # noqa: E402


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(open(path, "rb").read())


def test_ca_host_and_client_certificates(tmp_path):
    pki = Pki(tmp_path / "pki")
    pki.make_ca("Lab CA")
    host = pki.make_host(["rack1.example.org", "192.0.2.10", "::1"])
    assert host["names"] == ["rack1.example.org", "192.0.2.10", "::1"] and host["issuer"] == "Lab CA"
    cert = load(pki.host_cert)
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert alt.get_values_for_type(x509.DNSName) == ["rack1.example.org"]
    assert [str(a) for a in alt.get_values_for_type(x509.IPAddress)] == ["192.0.2.10", "::1"]
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == \
        [ExtendedKeyUsageOID.SERVER_AUTH]
    client = pki.make_client("laptop")
    bundle = tmp_path / "pki" / "issued" / "laptop"
    assert client["bundle"] == str(bundle) and client["subject"] == "laptop"
    assert list(load(bundle / "client-cert.pem").extensions.get_extension_for_class(x509.ExtendedKeyUsage)
                .value) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    for key in (pki.ca_key, pki.host_key, bundle / "client-key.pem"):
        assert mode(key) == 0o600, key
    for folder in (pki.folder, pki.folder / "issued", bundle):
        assert mode(folder) == 0o700, folder


def test_refusals_are_one_line(tmp_path):
    pki = Pki(tmp_path / "pki")
    with pytest.raises(NotFound, match="no CA in .*bulkhead host certs ca"):
        pki.make_host(["rack1"])
    pki.make_ca()
    with pytest.raises(UsageError, match="already holds a CA"):
        pki.make_ca()
    for bad in ("", "-rm", "a b", "x" * 65, "é\u202e"):
        with pytest.raises(UsageError, match="is not a client name"):
            check_client_name(bad)
    for bad in ("-host", "a..b", "under_score.example", "x" * 300):
        with pytest.raises(UsageError, match="not a host name"):
            pki.make_host([bad])
    with pytest.raises(UsageError, match="days must be"):
        pki.make_client("laptop", days=0)


def test_the_allow_list_is_read_again_when_it_changes(tmp_path):
    pki = Pki(tmp_path / "pki")
    assert not pki.is_allowed("laptop")
    pki.allow("laptop")
    pki.allow("laptop")  # once only
    assert [i["name"] for i in pki.allowed()] == ["laptop"] and pki.is_allowed("laptop")
    other = Pki(tmp_path / "pki")  # another process's view: the running service
    assert other.is_allowed("laptop")
    pki.deny("laptop")
    assert not other.is_allowed("laptop")
    with pytest.raises(NotFound, match="not on the allow-list"):
        pki.deny("laptop")
    pki.allow_file.write_text("{broken")
    assert not other.is_allowed("laptop")  # a damaged list allows nobody
    with pytest.raises(UsageError, match="is damaged"):
        pki.allowed()


def test_a_bundle_of_another_ca_is_not_imported_over_this_one(tmp_path):
    a, b = Pki(tmp_path / "a"), Pki(tmp_path / "b")
    a.make_ca("A")
    b.make_ca("B")
    mine = Pki(tmp_path / "client")
    mine.import_bundle(a.make_client("laptop")["bundle"])
    assert mode(mine.client_key) == 0o600
    with pytest.raises(UsageError, match="already trusts another CA"):
        mine.import_bundle(b.make_client("laptop")["bundle"])
    with pytest.raises(UsageError, match="is not a client bundle"):
        mine.import_bundle(tmp_path)


def test_the_certificate_folder_follows_bulkhead_home(tmp_path, monkeypatch):
    monkeypatch.setenv("BULKHEAD_HOME", str(tmp_path / "home"))
    assert pki_dir() == tmp_path / "home" / "pki"
    monkeypatch.delenv("BULKHEAD_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert pki_dir() == tmp_path / "config" / "bulkhead" / "pki"


def test_host_certs_allow_deny_clients_on_the_command_line(tmp_path, capsys):
    home, near = str(tmp_path / "host"), str(tmp_path / "client")
    assert main(["--home", home, "host", "certs", "ca", "--name", "Lab CA"]) == 0
    assert main(["--home", home, "host", "certs", "host", "rack1", "127.0.0.1"]) == 0
    assert main(["--home", home, "host", "certs", "client", "laptop", "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "made the CA 'Lab CA'" in out and "for rack1, 127.0.0.1" in out and "bulkhead host allow laptop" in out
    assert main(["--home", near, "host", "certs", "import", str(tmp_path / "b")]) == 0
    assert main(["--home", home, "host", "clients"]) == 0
    assert "No TLS clients are allowed" in capsys.readouterr().out
    assert main(["--home", home, "host", "allow", "laptop"]) == 0
    assert main(["--home", home, "host", "clients"]) == 0
    assert "laptop" in capsys.readouterr().out
    assert main(["--home", home, "host", "deny", "laptop"]) == 0
    capsys.readouterr()
    assert main(["--home", home, "host", "deny", "laptop"]) == 2
    assert main(["--home", home, "host", "allow", "bad name"]) == 2
    assert main(["--home", home, "host", "certs", "ca"]) == 2
    assert main(["--home", home, "host", "certs", "client", "x", "--days", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 4 and "Traceback" not in err
    assert main(["--home", near, "host", "certs", "show"]) == 0
    out = capsys.readouterr().out
    assert "Client certificate  laptop" in out and "CA key              not here" in out


def test_serve_listen_needs_certificates_and_a_valid_address(tmp_path):
    env = dict(os.environ, BULKHEAD_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "core.cli", "host", "serve", "--listen", "127.0.0.1:0"],
                         capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 2 and "holds no CA certificate" in out.stderr and "bulkhead host certs ca" in out.stderr
    assert not (tmp_path / "run" / "host.sock").exists()  # nothing was served
    for bad, says in (("127.0.0.1:http", "port must be a number"), ("[::1", r"\[ADDR\]:PORT"), (":80", "give the "
                                                                                              "address")):
        with pytest.raises(UsageError, match=says):
            parse_listen(bad)
    assert parse_listen("0.0.0.0") == ("0.0.0.0", 16600)
    assert parse_listen("[::1]:17000") == ("::1", 17000)
    assert parse_listen("::1") == ("::1", 16600)


def test_failed_handshakes_budget_refills_and_a_success_makes_it_whole():
    now = [0.0]
    limiter = FailureLimiter(burst=3, refill=5.0, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.allows("192.0.2.1")
        limiter.failed("192.0.2.1")
    assert not limiter.allows("192.0.2.1") and limiter.allows("192.0.2.2")  # per address
    assert limiter.retry_in("192.0.2.1") == pytest.approx(5.0)
    now[0] += 5.0
    assert limiter.allows("192.0.2.1")
    limiter.failed("192.0.2.1")
    assert not limiter.allows("192.0.2.1")
    limiter.succeeded("192.0.2.1")
    assert limiter.allows("192.0.2.1")


def test_serve_listen_beside_a_running_service_says_to_stop_it_first(tmp_path):
    from .remotehosts import TlsHost

    far = TlsHost(tmp_path).start()
    try:
        out = subprocess.run([sys.executable, "-m", "core.cli", "--home", str(far.home), "host", "serve",
                              "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=60)
        assert out.returncode == 2 and "stop it first (bulkhead host stop)" in out.stderr, out.stderr
    finally:
        far.stop()
