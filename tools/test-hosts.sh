#!/bin/sh
# Remote test hosts for trying bulkhead+tls:// and bulkhead+ssh:// by hand (the tests start their own, as pytest
# fixtures: tests/remotehosts.py; CI needs nothing from here).
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
set -eu
cd "$(dirname "$0")/.."
STATE=${2:-${BULKHEAD_TEST_HOSTS:-/tmp/bulkhead-test-hosts}}
PY=${PYTHON:-.venv/bin/python}
case "${1:-}" in
    up)     exec "$PY" -m tests.remotehosts up "$STATE" ;;
    down)   exec "$PY" -m tests.remotehosts down "$STATE" ;;
    status) cat "$STATE/hosts.json" 2>/dev/null || echo "no test hosts are up (tools/test-hosts.sh up)" ;;
    *)      echo "usage: tools/test-hosts.sh up|down|status [STATE]" >&2; exit 2 ;;
esac
