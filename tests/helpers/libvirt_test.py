"""libvirt's test driver in this process (no daemon): a node of three domains and a network, and the ``make`` and
``node`` fixtures of the libvirt tests (import them: ``from .helpers.libvirt_test import connections, node_uri``)."""

from __future__ import annotations

import pytest

NODE_XML = """<node>
  <cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu>
  <memory>8388608</memory>
  <domain type='test'><name>web1</name><memory>262144</memory><vcpu>2</vcpu><os><type>hvm</type></os>
    <description>front end</description>
    <devices><disk type='file' device='disk'><source file='/guest/web1.qcow2'/><target dev='vda' bus='virtio'/></disk>
      <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface></devices>
  </domain>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>db1</name>
    <memory>524288</memory><vcpu>1</vcpu><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>batch</name>
    <memory>131072</memory><vcpu>4</vcpu><os><type>hvm</type></os><test:runstate>3</test:runstate></domain>
  <network><name>default</name><bridge name='virbr0'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>
</node>
"""


@pytest.fixture(name="make")
def connections(tmp_path):
    """make(uri="test:///default", **options) -> a Connection to that libvirt URI, closed after the test."""
    from core.api import Connection
    from core.libvirt import connect_libvirt

    made = []

    def _make(uri: str = "test:///default", **options) -> Connection:
        conn = Connection(connect_libvirt(uri, tmp_path / "data", **options), f"libvirt {uri}")
        made.append(conn)
        return conn

    yield _make
    for c in made:
        c.close()


@pytest.fixture(name="node")
def node_uri(tmp_path):
    """The test-driver URI of NODE_XML (web1 running, db1 off, batch paused, the network default)."""
    path = tmp_path / "node.xml"
    path.write_text(NODE_XML)
    return f"test://{path}"
