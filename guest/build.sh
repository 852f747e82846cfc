#!/bin/sh
# Builds the bundled guest kernel, byte for byte reproducibly, with the system gcc.
# Usage: guest/build.sh [output]   (default: resources/guest/bulkhead-guest.elf); works from any directory.
set -eu
export LC_ALL=C
unset SOURCE_DATE_EPOCH GCC_COMPARE_DEBUG 2>/dev/null || true

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(dirname "$here")
out=${1:-$root/resources/guest/bulkhead-guest.elf}
case $out in /*) ;; *) out=$(pwd -P)/$out ;; esac
cc=${BK_GUEST_CC:-gcc}

# Listed, not globbed: the link order is part of the image.
sources="entry.S lib.c main.c serial.c shell.c workload.c pattern.c vmbus.c storvsc.c ide.c disk.c net.c ics.c"

set -- -std=gnu11 -O2 -Wall -Wextra \
    -ffreestanding -nostdlib -static -fno-pic -no-pie -mgeneral-regs-only -mno-red-zone \
    -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables -fno-unwind-tables \
    -fno-tree-loop-distribute-patterns -fno-ident \
    "-ffile-prefix-map=$here=guest" "-ffile-prefix-map=$root=." \
    -Wl,--build-id=none -Wl,-T,linker.ld -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
    -Wl,--no-warn-rwx-segments

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$here"
# shellcheck disable=SC2086 # $sources is a fixed list of plain names
"$cc" "$@" -o "$tmp/bulkhead-guest.elf" $sources
mkdir -p "$(dirname "$out")"
cp "$tmp/bulkhead-guest.elf" "$out"
chmod 0644 "$out"
