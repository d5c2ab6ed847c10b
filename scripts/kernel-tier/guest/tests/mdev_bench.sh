#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# ktier-kmods: kvm_amd
# The mdev benchmark (bench/mdev_guest.c, make bench-mdev): the same guest
# on one mgpu through mptrun --vfio (the model in mpt_mdev.ko) and through
# mptrun --device mgpu (the userspace KVM backend), in this same guest on
# nested KVM.  Each run prints one JSON line; they are passed on as
# "# BENCH {...}" diagnostics, which bench/mdev_bench.sh extracts.  The
# checks: both runs end with status 0, print their line, and the device
# did not fall into failsafe (a number from a device that ignores the
# guest would mean nothing).
. /tier/lib.sh

B=/tier/bin
have mpt_mdev || skip_all "mpt_mdev.ko was not built (no VFIO/mdev headers)"
have mgpu || skip_all "mgpu.ko was not built"
[ -x $B/mptrun ] || skip_all "no static mptrun (make tier-programs)"
plan 4
unload_all
mark mdev_bench
TYPE=/sys/class/mdev_bus/mpt_mdev/mdev_supported_types/mpt_mdev-mgpu
U=6d677075-00be-4000-8000-0000000000be
D=/sys/bus/mdev/devices/$U

ok=0
for m in kvm_amd vfio vfio_iommu_type1 mdev mgpu; do
	modprobe "$m" > /tmp/cmd.out 2>&1 || { ok=1; diag "modprobe $m:"; diag_file /tmp/cmd.out; }
done
[ $ok = 0 ] && [ -c /dev/kvm ] && modprobe mpt_mdev types=mgpu &&
	echo "$U" > "$TYPE/create"
result $? "kvm_amd, the VFIO stack, mgpu, mpt_mdev and an mgpu mdev"

bench() { # path, mptrun's device options...
	local path=$1 line
	shift
	timed /tier/bin/mptrun --timeout 120 "$@" $B/mdev_bench.elf
	st=$?
	line=$(grep '^{"bench": "mdev_guest"' /tmp/cmd.out)
	diag "$path: status $st in $ms ms"
	grep '^mptrun\|^mdev_guest' /tmp/cmd.out > /tmp/bad
	diag_file /tmp/bad
	[ -n "$line" ] && echo "# BENCH {\"path\": \"$path\", ${line#\{}"
	[ $st = 0 ] && [ -n "$line" ] && ! echo "$line" | grep -q '"failsafe": 1'
}
bench mdev --vfio "$D"
result $? "the benchmark guest on the mdev"
bench userspace --device mgpu
result $? "the benchmark guest on the userspace KVM backend"

echo 1 > "$D/remove"
unload_all
for m in kvm_amd kvm mdev vfio_iommu_type1 vfio; do
	loaded "$m" && rmmod "$m"
done
since_mark mdev_bench | grep -E "$LOG_BAD" > /tmp/log.bad
[ $? != 0 ]
result $? "no bug report in the kernel log"
[ -s /tmp/log.bad ] && diag_file /tmp/log.bad
finish
