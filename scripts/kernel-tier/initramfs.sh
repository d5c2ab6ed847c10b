#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Build the kernel tier's initramfs.
#
#   initramfs.sh OUT KVER "TESTS" MODULE.ko...
#
# OUT/root gets busybox (every applet linked), /init, the guest test
# scripts named in TESTS (guest/tests/NAME.sh, run in that order), our
# modules in /lib/modules/KVER/extra, every module of the installed kernel
# they depend on (modinfo -F depends, recursively, against
# /lib/modules/KVER) in its usual place, and depmod's metadata so that the
# guest's modprobe resolves dependencies.  /tier/config tells the guest
# what is there (KTIER_OURS; KTIER_DEPS_<module>: which of ours it needs;
# KTIER_KDEPS: the kernel's, in load order); KTIER_* variables from the
# environment are passed on.
# A test that needs more of the kernel's modules than ours depend on (the
# nested KVM of mdev_guests: kvm_amd) names them on a line of its script
#   # ktier-kmods: kvm_amd
# They go in with their dependencies, for the guest's modprobe, but not in
# KTIER_KDEPS, which the load-order tests load.
# The archive is OUT/initramfs.cpio.gz.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/host.inc"
out=$1 kver=$2 tests=$3
shift 3
root=$out/root
kmods=/lib/modules/$kver
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/tier/tests" "$root/lib/modules/$kver/extra"

install_busybox "$root"

# Our modules by name, then what they need from the kernel, depth first so
# that KDEPS lists every module after its own dependencies.
ours=
for ko in "$@"; do
	n=$(basename "$ko" .ko | tr - _)
	cp "$ko" "$root/lib/modules/$kver/extra/$n.ko"
	ours="$ours $n"
done
is_ours() { case " $ours " in *" $1 "*) return 0;; esac; return 1; }
kdeps=
seen=" "
need() { # module name (as modinfo spells it)
	local n f d
	n=$(echo "$1" | tr - _)
	case "$seen" in *" $n "*) return 0;; esac
	seen="$seen$n "
	if is_ours "$n"; then
		f=$root/lib/modules/$kver/extra/$n.ko
	else
		f=$(modinfo -k "$kver" -F filename "$n" 2>/dev/null) || {
			echo "initramfs: no module $n for $kver" >&2; exit 1; }
		case "$f" in
		"$kmods"/*) ;;
		*) return 0;;	# built into the kernel
		esac
	fi
	for d in $(modinfo -F depends "$f" | tr , ' '); do
		need "$d"
	done
	# Soft dependencies ("pre: a b post: c"): mpt_mdev's vfio_iommu_type1.
	for d in $(modinfo -F softdep "$f" | tr ' ' '\n' | grep -v ':$'); do
		is_ours "$(echo "$d" | tr - _)" ||
			modinfo -k "$kver" -F filename "$d" > /dev/null 2>&1 ||
			continue
		need "$d"
	done
	if ! is_ours "$n"; then
		mkdir -p "$root$(dirname "$f")"
		cp "$f" "$root$f"
		kdeps="$kdeps $n"
	fi
}
for n in $ours; do
	need "$n"
done
ours_kdeps=$kdeps
for t in $tests; do
	for n in $(sed -n 's/^# ktier-kmods://p' "$here/guest/tests/$t.sh"); do
		need "$n"
	done
done
kdeps=$ours_kdeps
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$kmods/$f" ] && cp "$kmods/$f" "$root/lib/modules/$kver/"
done
depmod -b "$root" "$kver"

cp "$here/guest/init" "$root/init"
cp "$here/guest/lib.sh" "$root/tier/lib.sh"
for t in $tests; do
	cp "$here/guest/tests/$t.sh" "$root/tier/tests/$t.sh"
done
# Static test programs run.sh built (vfio_client), in /tier/bin.
if [ -d "$out/bin" ]; then
	mkdir -p "$root/tier/bin"
	cp "$out/bin/"* "$root/tier/bin/" 2> /dev/null || true
fi
{
	for n in $ours; do
		d=
		for x in $(modinfo -F depends "$root/lib/modules/$kver/extra/$n.ko" | tr ,- ' _'); do
			is_ours "$x" && d="$d $x"
		done
		echo "KTIER_DEPS_$n='${d# }'"
	done
	echo "KTIER_KVER='$kver'"
	echo "KTIER_OURS='${ours# }'"
	echo "KTIER_KDEPS='${kdeps# }'"
	echo "KTIER_TESTS='$tests'"
	env | grep '^KTIER_[A-Z_]*=' | grep -v '^KTIER_\(KVER\|OURS\|KDEPS\|TESTS\)=' |
		sed "s/=\(.*\)/='\1'/"
} > "$root/tier/config"
chmod 755 "$root/init" "$root"/tier/tests/*.sh

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out/initramfs.cpio.gz"
