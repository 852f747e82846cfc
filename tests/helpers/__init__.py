"""Pieces several test modules share: waits with deadlines, event recorders, libvirt test-driver connections,
socket clients and holders, embedded hosts."""
