"""Remote host URIs are checked before anything connects (one-line usage errors), the command line leaves a remote
host's paths alone, and View Script names the host."""

from __future__ import annotations

import argparse

import pytest

from core import api
from core.cli.common import host_path, is_remote
from core.model.errors import UsageError
from core.remote import is_remote_uri, parse_uri


@pytest.mark.parametrize("uri, host, port, user, options", [
    ("bulkhead+ssh://admin@rack1", "rack1", None, "admin", {}),
    ("bulkhead+ssh://rack1.example.org:2222/", "rack1.example.org", 2222, "", {}),
    ("bulkhead+ssh://ops@[::1]:22/?home=/srv/bulkhead", "::1", 22, "ops", {"home": "/srv/bulkhead"}),
    ("bulkhead+ssh://ops@h/?command=/opt/bulkhead/.venv/bin/bulkhead&timeout=3", "h", None, "ops",
     {"command": "/opt/bulkhead/.venv/bin/bulkhead", "timeout": "3"}),
    ("bulkhead+tls://rack1", "rack1", 16600, "", {}),
    ("BULKHEAD+TLS://192.0.2.7:17000/?pkipath=/etc/bulkhead/pki", "192.0.2.7", 17000, "",
     {"pkipath": "/etc/bulkhead/pki"}),
])
def test_uris_that_name_a_remote_host(uri, host, port, user, options):
    target = parse_uri(uri)
    assert (target.host, target.port, target.user, target.options) == (host, port, user, options)
    assert is_remote_uri(uri)


@pytest.mark.parametrize("uri, says", [
    ("bulkhead+ssh://", "name the host"),
    ("bulkhead+ssh://-oProxyCommand=evil", "not a host name"),
    ("bulkhead+ssh://-l@rack1", "not a user name"),
    ("bulkhead+ssh://a:secret@rack1", "no password"),
    ("bulkhead+tls://alice@rack1", "takes no user name"),
    ("bulkhead+ssh://rack1/system", "has no path"),
    ("bulkhead+ssh://rack1:99999", "valid host URI"),
    ("bulkhead+tls://rack1:0", "from 1 to 65535"),
    ("bulkhead+ssh://rack1/?colour=blue", "unknown option 'colour'"),
    ("bulkhead+tls://rack1/?home=/x", "unknown option 'home'"),
    ("bulkhead+ssh://rack1/?home=relative", "absolute path"),
    ("bulkhead+ssh://rack1/?home=/a&home=/b", "given twice"),
    ("bulkhead+ssh://rack1/?timeout=nan", "timeout must be"),
    ("bulkhead+ssh://rack1/?timeout=1e9", "timeout must be"),
    ("bulkhead+ssh://rack 1", "spaces"),
    ("bulkhead+ssh://rack1\u202e", "control characters"),
    ("bulkhead+ftp://rack1", "not a remote Bulkhead host URI"),
    ("bulkhead+ssh://" + "a" * 1100, "at most 1024"),
])
def test_bad_uris_are_one_line_usage_errors(uri, says):
    with pytest.raises(UsageError, match=says) as e:
        parse_uri(uri)
    assert "\n" not in str(e.value)
    with pytest.raises(UsageError):
        api.connect(uri=uri)  # nothing is started or dialled for a bad URI


def test_the_command_line_does_not_resolve_paths_for_a_remote_host():
    for uri in ("bulkhead+ssh://ops@rack1", "bulkhead+tls://rack1"):
        args = argparse.Namespace(connect=uri)
        assert is_remote(args)
        assert host_path("/srv/../srv/disks/web.vhd", args, "--disk") == "/srv/../srv/disks/web.vhd"  # as typed
        for relative in ("disks/web.vhd", "~/web.vhd"):  # this machine's folder and home mean nothing there
            with pytest.raises(UsageError, match="absolute path on the remote host"):
                host_path(relative, args, "--disk")


def test_view_script_names_the_remote_host():
    from core.api.script import render

    uri = "bulkhead+tls://rack1:16600"
    s = render("vm.start", {"vm": "web1"}, uri=uri)
    assert s.command_line == f"bulkhead --connect {uri} vm start web1"
    assert f"api.connect(uri={uri!r})" in s.python
