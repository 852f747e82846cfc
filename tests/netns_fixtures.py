"""Namespace test hosts (tests/netnshosts.py) as pytest fixtures.

In a test module::

    from .netns_fixtures import netns_fixture

    hosts = netns_fixture()                 # a and b, b with an sshd; started once for the module
    # hosts = netns_fixture(count=3, ssh=False, scope="session", name="three")

    def test_something(hosts):
        with api.connect(uri=hosts.a.tls_uri) as conn: ...
        hosts.b.ssh_uri, hosts["b"].home, hosts.a.cut(), hosts.a.restore(), hosts.a.limit("100mbit") ...

The fixture skips the test with the reason from ``missing()`` where the hosts cannot run (not root, no ``ip``,
namespaces not permitted, no sshd when ``ssh``). Each host has ``name``, ``address``, ``tls_uri``, ``ssh_uri``
(None but on b with ``ssh``), ``home``, ``client`` (its client certificate folder), ``namespace``, ``veth_inner``,
``veth_outer``, ``proc`` and ``cut()``, ``restore()``, ``limit(rate, direction)``, ``unlimit()``,
``kill_service()``, ``start_service()``, ``exec(*argv)`` (a command line that runs inside its namespace). After the
module a test that left a link cut or a service killed is not a problem: everything is removed.
"""

from __future__ import annotations

import pytest

from .netnshosts import NetnsHosts, missing


def netns_fixture(count: int = 2, ssh: bool = True, scope: str = "module", backend: str | None = None,
                  name: str | None = None):
    """A fixture giving running ``NetnsHosts`` (``count`` hosts a, b[, c]; b with an sshd when ``ssh``), started
    before the first test of its ``scope`` that asks for it and stopped after the last."""

    @pytest.fixture(scope=scope, name=name)
    def hosts(tmp_path_factory):
        why = missing(ssh)
        if why:
            pytest.skip(why)
        made = NetnsHosts(tmp_path_factory.mktemp("netns"), count=count, ssh=ssh, backend=backend).start()
        yield made
        made.stop()

    return hosts
