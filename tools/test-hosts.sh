#!/bin/sh
# Remote test hosts for trying bulkhead+tls:// and bulkhead+ssh:// by hand (the tests start their own, as pytest
# fixtures: tests/remotehosts.py, tests/netns_fixtures.py; CI needs nothing from here).
#
#   tools/test-hosts.sh up [STATE]     a TLS host on 127.0.0.1 with its own BULKHEAD_HOME and certificates, and
#                                      (where sshd is installed) an sshd on a loopback port whose far side runs this
#                                      checkout's bulkhead with a home of its own; prints their URIs as JSON
#   tools/test-hosts.sh down [STATE]   stops what up started (and the host service ssh started on first use)
#   tools/test-hosts.sh status [STATE] the URIs recorded by up
#
# STATE defaults to /tmp/bulkhead-test-hosts. No root is needed for the TLS host; the SSH host needs Debian's
# openssh-server (./setup.sh test installs it) and, as root, makes /run/sshd if missing. Loopback only: nothing
# listens on another address.
#
# As separate machines (root only: tests/netnshosts.py):
#   tools/test-hosts.sh netns-up [STATE] [2|3]   2 (or 3) host services a, b[, c], each in a network namespace of
#                                      its own with its own BULKHEAD_HOME, joined through a bridge bkhbr<N>
#                                      (10.79.N.1) by veth pairs, serving TLS on 10.79.N.2, .3, .4:16600; b also
#                                      has an sshd on 10.79.N.3:22 (where sshd is installed); prints URIs as JSON
#   tools/test-hosts.sh netns-down [STATE]       stops them and removes the namespaces and the bridge
#   tools/test-hosts.sh netns-status [STATE]     what netns-up recorded
# STATE defaults to /tmp/bulkhead-netns-hosts. One set at a time. Cut a host's link by hand with
#   ip -n NAMESPACE link set VETH_INNER down   (and up), limit it with  tc -n NAMESPACE qdisc add dev VETH_INNER
#   root tbf rate 100mbit burst 32kbit latency 50ms   (names in the JSON).
set -eu
cd "$(dirname "$0")/.."
case "${1:-}" in
    netns-*) STATE=${2:-${BULKHEAD_NETNS_HOSTS:-/tmp/bulkhead-netns-hosts}} ;;
    *)       STATE=${2:-${BULKHEAD_TEST_HOSTS:-/tmp/bulkhead-test-hosts}} ;;
esac
PY=${PYTHON:-.venv/bin/python}
case "${1:-}" in
    up)     exec "$PY" -m tests.remotehosts up "$STATE" ;;
    down)   exec "$PY" -m tests.remotehosts down "$STATE" ;;
    status) cat "$STATE/hosts.json" 2>/dev/null || echo "no test hosts are up (tools/test-hosts.sh up)" ;;
    netns-up)     exec "$PY" -m tests.netnshosts up "$STATE" ${3:-2} ;;
    netns-down)   exec "$PY" -m tests.netnshosts down "$STATE" ;;
    netns-status) cat "$STATE/netns-hosts.json" 2>/dev/null ||
                      echo "no namespace test hosts are up (tools/test-hosts.sh netns-up)" ;;
    *)      echo "usage: tools/test-hosts.sh up|down|status|netns-up|netns-down|netns-status [STATE] [2|3]" >&2
            exit 2 ;;
esac
