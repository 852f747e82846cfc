#!/bin/sh
# libvirt for the tests of Bulkhead's libvirt connections (tests/test_libvirt_*.py), as root on Debian 12.
#
#   tools/ci-libvirt.sh install   system packages, libvirt-python into $VENV (default: .venv)
#   tools/ci-libvirt.sh start     virtlogd + libvirtd (qemu:///system), and a second libvirtd for migration
#   tools/ci-libvirt.sh stop      stops only what start started (and the guests those daemons ran)
#   tools/ci-libvirt.sh status    what is running
#
# PID 1 is not systemd on these machines, so nothing starts by itself (see shared/libvirt-facts.md). Every
# subcommand is idempotent. Migration needs two daemons with different host UUIDs that reach each other over TCP:
#   - daemon A: the ordinary qemu:///system (/run/libvirt/libvirt-sock), run inside network namespace bkmig-a;
#   - daemon B: inside network namespace bkmig-b and a private mount namespace where its own folders are
#     mounted over /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/cache/libvirt and /var/log/libvirt, with its
#     own host_uuid; its Unix socket is reachable from outside at $STATE/b/run/libvirt-sock.
#   - a veth pair joins the namespaces: 10.213.0.1 (A) <-> 10.213.0.2 (B). Both addresses exist only inside the
#     namespaces; both daemons listen for unauthenticated TCP (16509 on A, 16510 on B) on those addresses only.
# What start made is written to $STATE/peer.json, which the tests read.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE=${BULKHEAD_LIBVIRT_STATE:-/run/bulkhead-ci-libvirt}
NS_A=bkmig-a
NS_B=bkmig-b
IP_A=10.213.0.1
IP_B=10.213.0.2
PORT_A=16509
PORT_B=16510
SOCK_A=/run/libvirt/libvirt-sock
PACKAGES="libvirt-daemon-system qemu-system-x86 qemu-utils libvirt-dev pkg-config gcc"

say() { echo "ci-libvirt: $*"; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$1" ] && cat "$1" 2>/dev/null || true; }
wait_socket() { # path seconds
    n=0
    while [ ! -S "$1" ]; do
        n=$((n + 1)); [ "$n" -gt $(($2 * 20)) ] && return 1; sleep 0.05
    done
}

do_install() {
    missing=""
    for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        say "installing$missing"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
    fi
    venv=${VENV:-$ROOT/.venv}
    py=$venv/bin/python
    [ -x "$py" ] || { echo "ci-libvirt: no virtual environment at $venv (run ./setup.sh test first, or set VENV)" >&2; exit 2; }
    if ! "$py" -c 'import libvirt' 2>/dev/null; then
        say "pip install libvirt-python into $venv"
        "$py" -m pip install -q libvirt-python
    fi
}

kvm_permissions() {
    # libvirt runs QEMU as libvirt-qemu; without group access to /dev/kvm it re-probes QEMU's capabilities on
    # every define (40 s here). Remember what it was so stop puts it back.
    [ -c /dev/kvm ] || return 0
    getent group kvm >/dev/null || return 0
    if [ ! -f "$STATE/kvm-mode" ]; then
        stat -c '%a %g' /dev/kvm >"$STATE/kvm-mode"
    fi
    chgrp kvm /dev/kvm && chmod 660 /dev/kvm
}

setup_network() {
    [ -e "/run/netns/$NS_A" ] || { ip netns add "$NS_A"; touch "$STATE/made-$NS_A"; }
    [ -e "/run/netns/$NS_B" ] || { ip netns add "$NS_B"; touch "$STATE/made-$NS_B"; }
    ip -n "$NS_A" link set lo up
    ip -n "$NS_B" link set lo up
    if ! ip -n "$NS_A" link show bkveth-a >/dev/null 2>&1; then
        ip -n "$NS_A" link add bkveth-a type veth peer name bkveth-b netns "$NS_B"
    fi
    ip -n "$NS_A" addr replace "$IP_A/30" dev bkveth-a
    ip -n "$NS_B" addr replace "$IP_B/30" dev bkveth-b
    ip -n "$NS_A" link set bkveth-a up
    ip -n "$NS_B" link set bkveth-b up
}

tcp_conf() { # port address [host_uuid]
    printf 'listen_tls = 0\nlisten_tcp = 1\ntcp_port = "%s"\nlisten_addr = "%s"\nauth_tcp = "none"\n' "$1" "$2"
    [ -z "${3:-}" ] || printf 'host_uuid = "%s"\n' "$3"
}

start_a() {
    if alive "$(pid_of "$STATE/a/libvirtd.pid")"; then return 0; fi
    if [ -S "$SOCK_A" ] && virsh -q -c qemu:///system version >/dev/null 2>&1; then
        say "a libvirtd this script did not start already serves $SOCK_A: using it, no migration peer"
        touch "$STATE/foreign-a"
        return 0
    fi
    mkdir -p "$STATE/a"
    if ! alive "$(pid_of /run/virtlogd.pid)"; then
        virtlogd -d
        cp /run/virtlogd.pid "$STATE/a/virtlogd.pid"
    fi
    tcp_conf "$PORT_A" "$IP_A" >"$STATE/a/libvirtd.conf"
    # only the network namespace changes: the daemon keeps the host's folders and cgroups
    nsenter --net="/run/netns/$NS_A" -- libvirtd -d -l -f "$STATE/a/libvirtd.conf" -p "$STATE/a/libvirtd.pid"
    wait_socket "$SOCK_A" 10 || { echo "ci-libvirt: libvirtd (A) did not create $SOCK_A" >&2; exit 1; }
}

start_b() {
    B=$STATE/b
    if alive "$(pid_of "$B/libvirtd.pid")"; then return 0; fi
    mkdir -p "$B/run" "$B/lib/qemu" "$B/cache" "$B/log/qemu" "$B/etc"
    chown libvirt-qemu:libvirt-qemu "$B/lib/qemu" 2>/dev/null || true
    chmod 750 "$B/lib/qemu"
    rm -rf "$B/etc" && mkdir -p "$B/etc/qemu/networks"
    for f in libvirt.conf qemu.conf virtlogd.conf virtlockd.conf; do
        [ -f "/etc/libvirt/$f" ] && cp "/etc/libvirt/$f" "$B/etc/$f"
    done
    [ -f "$B/host-uuid" ] || cat /proc/sys/kernel/random/uuid >"$B/host-uuid"
    tcp_conf "$PORT_B" "$IP_B" "$(cat "$B/host-uuid")" >"$B/etc/libvirtd.conf"
    # the capabilities probe costs seconds: start from A's cache (same binaries, same host)
    if [ -d /var/cache/libvirt/qemu/capabilities ] && [ ! -d "$B/cache/qemu/capabilities" ]; then
        mkdir -p "$B/cache/qemu" && cp -a /var/cache/libvirt/qemu/capabilities "$B/cache/qemu/" 2>/dev/null || true
    fi
    nsenter --net="/run/netns/$NS_B" -- unshare --mount --propagation private -- sh -c '
        B=$1
        mount --bind "$B/etc" /etc/libvirt
        mount --bind "$B/run" /run/libvirt
        mount --bind "$B/lib" /var/lib/libvirt
        mount --bind "$B/cache" /var/cache/libvirt
        mount --bind "$B/log" /var/log/libvirt
        virtlogd -d -p "$B/virtlogd.pid"
        libvirtd -d -l -p "$B/libvirtd.pid"
    ' sh "$B"
    wait_socket "$B/run/libvirt-sock" 10 || { echo "ci-libvirt: libvirtd (B) did not create its socket" >&2; exit 1; }
}

write_peer() {
    B=$STATE/b
    cat >"$STATE/peer.json.tmp" <<EOF
{
  "source_uri": "qemu:///system",
  "source_migrate_uri": "qemu+tcp://$IP_A:$PORT_A/system",
  "source_address": "$IP_A",
  "peer_uri": "qemu:///system?socket=$B/run/libvirt-sock",
  "peer_migrate_uri": "qemu+tcp://$IP_B:$PORT_B/system",
  "peer_address": "$IP_B",
  "peer_host_uuid": "$(cat "$B/host-uuid")"
}
EOF
    mv "$STATE/peer.json.tmp" "$STATE/peer.json"
}

do_start() {
    command -v libvirtd >/dev/null || { echo "ci-libvirt: libvirtd is not installed (run: $0 install)" >&2; exit 2; }
    mkdir -p "$STATE"
    chmod 755 "$STATE"
    kvm_permissions
    setup_network
    start_a
    if [ -f "$STATE/foreign-a" ]; then
        rm -f "$STATE/peer.json"
    else
        start_b
        write_peer
    fi
    # pay QEMU's first capabilities probe now, not in the first test (both daemons at once)
    virsh -q -c qemu:///system domcapabilities --virttype qemu --arch x86_64 >/dev/null 2>&1 &
    w1=$!
    if [ -f "$STATE/peer.json" ]; then
        virsh -q -c "qemu:///system?socket=$STATE/b/run/libvirt-sock" domcapabilities --virttype qemu \
            --arch x86_64 >/dev/null 2>&1 &
        w2=$!
        wait "$w2" || say "warning: the capabilities probe of daemon B failed"
    fi
    wait "$w1" || say "warning: the capabilities probe of daemon A failed"
    say "started: qemu:///system$( [ -f "$STATE/peer.json" ] && echo " and a migration peer ($STATE/peer.json)")"
}

destroy_guests() { # uri
    for d in $(virsh -q -c "$1" list --name 2>/dev/null); do
        virsh -q -c "$1" destroy "$d" >/dev/null 2>&1 || true
    done
}

stop_pid() { # pidfile
    p=$(pid_of "$1")
    if alive "$p"; then
        kill "$p" 2>/dev/null || true
        n=0
        while alive "$p" && [ "$n" -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
        alive "$p" && kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$1"
}

do_stop() {
    [ -d "$STATE" ] || { say "nothing to stop"; return 0; }
    if alive "$(pid_of "$STATE/b/libvirtd.pid")"; then
        destroy_guests "qemu:///system?socket=$STATE/b/run/libvirt-sock"
    fi
    stop_pid "$STATE/b/libvirtd.pid"
    stop_pid "$STATE/b/virtlogd.pid"
    if alive "$(pid_of "$STATE/a/libvirtd.pid")"; then
        destroy_guests qemu:///system
    fi
    stop_pid "$STATE/a/libvirtd.pid"
    stop_pid "$STATE/a/virtlogd.pid"
    for ns in "$NS_A" "$NS_B"; do
        [ -f "$STATE/made-$ns" ] && ip netns del "$ns" 2>/dev/null || true
    done
    if [ -f "$STATE/kvm-mode" ] && [ -c /dev/kvm ]; then
        read -r mode gid <"$STATE/kvm-mode"
        chgrp "$gid" /dev/kvm && chmod "$mode" /dev/kvm || true
    fi
    rm -rf "$STATE"
    say "stopped"
}

do_status() {
    for d in a b; do
        for what in virtlogd libvirtd; do
            p=$(pid_of "$STATE/$d/$what.pid")
            if alive "$p"; then echo "$d $what: running (pid $p)"; else echo "$d $what: not running"; fi
        done
    done
    [ -f "$STATE/peer.json" ] && cat "$STATE/peer.json" || true
}

case "${1:-}" in
    install) do_install ;;
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
