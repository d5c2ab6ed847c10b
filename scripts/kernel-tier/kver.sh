#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Print the version of the Debian kernel the kernel tier boots and builds
# for: one that has a bootable image (/boot/vmlinuz-VER), its modules
# (/lib/modules/VER/kernel) and a kbuild tree (/lib/modules/VER/build, from
# linux-headers-VER).  The newest such version wins; KVER= overrides.  The
# running kernel plays no part: the tier boots its own under QEMU.
# Exit 1, with the reason on stderr, when there is none.
ok() { # version
	[ -r "/boot/vmlinuz-$1" ] && [ -d "/lib/modules/$1/kernel" ] &&
		[ -f "/lib/modules/$1/build/Makefile" ]
}
if [ -n "${KVER:-}" ]; then
	ok "$KVER" && { echo "$KVER"; exit 0; }
	echo "KVER=$KVER: no /boot/vmlinuz-$KVER with its modules and" \
		"/lib/modules/$KVER/build" >&2
	exit 1
fi
best=
for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	v=${img#/boot/vmlinuz-}
	ok "$v" && best="$best$v
"
done
best=$(printf '%s' "$best" | sort -V | tail -n 1)
if [ -z "$best" ]; then
	echo "no kernel with an image in /boot, modules in /lib/modules and" \
		"kbuild headers (linux-image-amd64, linux-headers-amd64)" >&2
	exit 1
fi
echo "$best"
