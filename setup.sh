#!/bin/sh
# Prepares this checkout on a fresh Debian/Ubuntu machine: system packages, a virtual environment in .venv and
# Bulkhead installed into it (editable). "./setup.sh test" adds what the test suite needs; "./setup.sh libvirt" adds
# libvirt connections (libvirt-python, which builds against the system's libvirt headers).
set -eu
cd "$(dirname "$0")"
mode=${1:-run}

need=""
python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null || { echo "Bulkhead needs Python 3.11 or newer" >&2; exit 2; }
python3 -c 'import ensurepip, venv' 2>/dev/null || need="$need python3-venv"
# Qt's own libraries come with PySide6; these are the system ones it links against (X11/xcb, EGL, fonts)
qt_libs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4
 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
if command -v dpkg >/dev/null 2>&1; then
    for lib in $qt_libs; do dpkg -s "$lib" >/dev/null 2>&1 || need="$need $lib"; done
fi
case $mode in run|test|libvirt) ;; *) echo "usage: ./setup.sh [test|libvirt]" >&2; exit 2 ;; esac
if [ "$mode" = libvirt ]; then
    command -v gcc >/dev/null 2>&1 || need="$need gcc"
    command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
    if command -v dpkg >/dev/null 2>&1; then dpkg -s libvirt-dev >/dev/null 2>&1 || need="$need libvirt-dev"; fi
fi
if [ "$mode" = test ]; then
    command -v gcc >/dev/null 2>&1 || need="$need gcc"
    command -v Xvfb >/dev/null 2>&1 || need="$need xvfb"
    command -v qemu-img >/dev/null 2>&1 || need="$need qemu-utils"
    [ -x /usr/sbin/sshd ] || command -v sshd >/dev/null 2>&1 || need="$need openssh-server"
fi
if [ -n "$need" ] && command -v apt-get >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$mode" = test ]; then
    .venv/bin/python -m pip install -q -e '.[test]'
elif [ "$mode" = libvirt ]; then
    .venv/bin/python -m pip install -q -e '.[libvirt]'
else
    .venv/bin/python -m pip install -q -e .
fi
