#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Build the Xen tier's dom0 initramfs.
#
#   initramfs.sh OUT KVER "TESTS" [FILE...]
#
# OUT/dom0/root gets busybox, the Xen toolstack dom0 needs (xl, xenstored,
# xenconsoled, xen-init-dom0 and the xenstore tools) with every shared
# library they load (ldd), the kernel's Xen modules (evtchn, privcmd,
# gntdev, gntalloc, xenfs), /init (the kernel tier's, which sources
# dom0/prepare to start the toolstack), the tests named in TESTS
# (dom0/tests/NAME.sh or the kernel tier's guest/tests/NAME.sh, run in
# that order) and the FILEs (programs, guest
# images) in /tier/bin.  /tier/config tells dom0 what is there; XTIER_*
# variables from the environment are passed on.
# The archive is OUT/dom0.cpio.gz.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../kernel-tier/host.inc"
out=$1 kver=$2 tests=$3
shift 3
root=$out/dom0/root
xenbin=$(ls -d /usr/lib/xen-[0-9]*/bin | sort -V | tail -n 1)
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/run" "$root/tier/tests" "$root/tier/bin" "$root/etc" \
	"$root/var/lib/xen" "$root/var/log/xen" "$root/var/run/xen" \
	"$root/var/run/xenstored" "$root/lib/modules/$kver"

install_busybox "$root"

# A program and every library it loads, at their own paths.
copy_prog() { # path
	local f
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
	for f in $(ldd "$1" 2> /dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$f" ] && continue
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
}
for p in xl xenstored xenconsoled xen-init-dom0; do
	copy_prog "$xenbin/$p"
	ln -sf "$xenbin/$p" "$root/bin/$p"
done
for p in xenstore-read xenstore-write xenstore-ls xenstore-list; do
	copy_prog "/usr/bin/$p"
	ln -sf "/usr/bin/$p" "$root/bin/$p"
done
# xl's helpers dlopen() libgcc_s for pthread_cancel; oxenstored's
# configuration is not needed by the C xenstored.
for f in /lib/x86_64-linux-gnu/libgcc_s.so.1; do
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
mkdir -p "$root/etc/xen" "$root/etc/default"
echo 'autoballoon="off"' > "$root/etc/xen/xl.conf"

# The kernel's Xen device modules (none is needed by another outside the
# list but xenfs by privcmd, which comes first).
for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs; do
	f=$(modinfo -k "$kver" -F filename "$m")
	mkdir -p "$root$(dirname "$f")"
	cp "$f" "$root$f"
	echo "$f" >> "$root/tier/modules"
done

cp "$here/../kernel-tier/guest/init" "$root/init"
cp "$here/../kernel-tier/guest/lib.sh" "$root/tier/lib.sh"
cp "$here/dom0/prepare" "$root/tier/prepare"
cp "$here/dom0/on_timeout" "$root/tier/on_timeout"
cp "$here/dom0/xen.sh" "$root/tier/xen.sh"
# Tests of this tier, or the kernel tier's that apply (kernel_log).
for t in $tests; do
	f=$here/dom0/tests/$t.sh
	[ -f "$f" ] || f=$here/../kernel-tier/guest/tests/$t.sh
	cp "$f" "$root/tier/tests/$t.sh"
done
# The FILEs; a dynamically linked program (mpt-xen) brings its libraries.
copy_libs() { # program
	local f
	for f in $(ldd "$1" 2> /dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$f" ] && continue
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
}
for f in "$@"; do
	cp "$f" "$root/tier/bin/"
	case $f in *.elf) ;; *) copy_libs "$f" ;; esac
done
{
	echo "KTIER_KVER='$kver'"
	echo "KTIER_OURS=''"
	echo "KTIER_TESTS='$tests'"
	echo "KTIER_TEST_TIMEOUT='${KTIER_TEST_TIMEOUT:-240}'"
	env | grep '^XTIER_[A-Z0-9_]*=' | sed "s/=\(.*\)/='\1'/"
} > "$root/tier/config"
chmod 755 "$root/init" "$root"/tier/tests/*.sh 2> /dev/null || true

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out/dom0.cpio.gz"
