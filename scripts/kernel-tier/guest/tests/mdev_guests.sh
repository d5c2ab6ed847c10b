#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# ktier-kmods: kvm_amd
# The guest programs (guest/) on mgpu mdevs of mpt_mdev.ko, through
# mptrun --vfio on KVM inside the tier's guest (nested SVM under TCG):
# the device model runs in the kernel, mptrun only forwards.  Loads kvm
# and kvm_amd (the line above puts them in the initramfs), the VFIO stack,
# mgpu and mpt_mdev (types=mgpu); makes two mdevs; runs
#   functional    every TAP check of it must pass, on one and two vCPUs;
#                 mptrun's --stats: MMIO forwarded, MSI routed, nothing refused
#   hostile       on two mdevs (the second must not notice); the host,
#                 both mdevs and their models survive
#   pci_hostile   (tools/mptrun/guests) attacks mptrun's own forwarding:
#                 BARs over RAM and the LAPIC, decoding off, bad config
#                 accesses, MSI outside the LAPICs' window, MSI storms
#   demo          with --snapshot, twice on the same mdev (closed and
#                 reopened) and once on the userspace KVM backend in this
#                 same guest (mptrun --device mgpu): the three PNGs are
#                 identical
#   loop          while the mdev is removed: the request IRQ ends mptrun
#                 (status 123) and the removal completes
# then unloads everything and checks the kernel log.
. /tier/lib.sh

B=/tier/bin
have mpt_mdev || skip_all "mpt_mdev.ko was not built (no VFIO/mdev headers)"
have mgpu || skip_all "mgpu.ko was not built"
[ -x $B/mptrun ] || skip_all "no static mptrun (make tier-programs)"
plan 20
unload_all
mark mdev_guests
PARENT=/sys/class/mdev_bus/mpt_mdev
TYPE=$PARENT/mdev_supported_types/mpt_mdev-mgpu
U1=6d677075-0001-4000-8000-000000000001
U2=6d677075-0002-4000-8000-000000000002
D1=/sys/bus/mdev/devices/$U1
D2=/sys/bus/mdev/devices/$U2
# Each run's limit: far above what it takes (seconds), far below the
# test's own (KTIER_TEST_TIMEOUT).
RUN="$B/mptrun --timeout 40"

# mptrun ARGS...: output in /tmp/run.out, status in $st, duration in $ms.
run() {
	timed $RUN "$@"
	st=$?
	cp /tmp/cmd.out /tmp/run.out
}
# The guest's TAP in /tmp/run.out passed: status 0, a plan, as many
# results, none failed.  Failures and mptrun's messages become diagnostics.
tap_passed() {
	local plan nres nbad
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' /tmp/run.out | head -n 1)
	nres=$(grep -cE '^(not )?ok [0-9]' /tmp/run.out)
	nbad=$(grep -cE '^not ok [0-9]' /tmp/run.out)
	diag "status $st in $ms ms; plan $plan, $nres results, $nbad failed"
	grep -E -A3 '^not ok [0-9]' /tmp/run.out | head -n 40 > /tmp/bad
	grep '^mptrun' /tmp/run.out >> /tmp/bad
	diag_file /tmp/bad
	[ "$st" = 0 ] && [ -n "$plan" ] && [ "$plan" = "$nres" ] && [ "$nbad" = 0 ]
}

timed modprobe kvm_amd
[ $? = 0 ] && [ -c /dev/kvm ]
result $? "modprobe kvm_amd gives /dev/kvm (nested SVM)"
diag "in $ms ms"

ok=0
for m in vfio vfio_iommu_type1 mdev mgpu; do
	modprobe "$m" > /tmp/cmd.out 2>&1 || { ok=1; diag "modprobe $m:"; diag_file /tmp/cmd.out; }
done
[ $ok = 0 ] && modprobe mpt_mdev types=mgpu && [ -d "$TYPE" ]
result $? "modprobe vfio, vfio_iommu_type1, mdev, mgpu, mpt_mdev types=mgpu"

echo "$U1" > "$TYPE/create" && echo "$U2" > "$TYPE/create" &&
	[ -d "$D1" ] && [ -d "$D2" ]
result $? "two mgpu mdevs"

echo "ktier: functional" > /dev/kmsg
run --stats-file /tmp/stats.json --vfio "$D1" $B/functional.elf
tap_passed
result $? "functional: every check passes on the mdev"
# mptrun's side of it: MMIO forwarded, MSI routed, nothing refused.
vfio=$(sed -n 's/.*"vfio": \[\(.*\)\].*/\1/p' /tmp/stats.json)
diag "stats: $vfio"
echo "$vfio" | grep -q '"mmio": [1-9]' &&
	echo "$vfio" | grep -q '"route_updates": [1-9]' &&
	echo "$vfio" | grep -q '"errors": 0,' &&
	echo "$vfio" | grep -q '"request_irq": 1'
result $? "functional: MMIO forwarded, MSI routed, request IRQ set, no access refused"

run --vcpus 2 --vfio "$D1" $B/functional.elf
tap_passed
result $? "functional on two vCPUs: every check passes on the mdev"

echo "ktier: hostile" > /dev/kmsg
run --vfio "$D1" --vfio "$D2" $B/hostile.elf
tap_passed
result $? "hostile: every check passes, the second mdev unharmed"
[ -d "$D1" ] && [ -d "$D2" ] && loaded mpt_mdev && loaded mgpu
result $? "after hostile both mdevs and the modules are there"
run --vfio "$D2" $B/pci_hostile.elf
tap_passed
result $? "pci_hostile: mptrun's bus survives BAR, config and MSI attacks"

echo "ktier: demo" > /dev/kmsg
demo() { # PNG, mptrun's device options...
	local png=$1
	shift
	rm -f "$png"
	run "$@" --snapshot "$png" $B/demo.elf
	diag "status $st in $ms ms: $(grep '^demo:' /tmp/run.out)"
	grep '^mptrun' /tmp/run.out > /tmp/bad
	diag_file /tmp/bad
	[ "$st" = 0 ] && grep -q '^demo: .*matches the CPU reference' /tmp/run.out &&
		[ -s "$png" ]
}
demo /tmp/mdev1.png --vfio "$D1"
result $? "demo on the mdev after hostile: frame matches, snapshot taken"
demo /tmp/mdev2.png --vfio "$D1"
result $? "demo again on the same mdev (closed and reopened)"
demo /tmp/user.png --device mgpu
result $? "demo on the userspace KVM backend in the same guest"
diag "sha256: mdev $(sha256sum < /tmp/mdev1.png | cut -c1-16)," \
	"again $(sha256sum < /tmp/mdev2.png | cut -c1-16)," \
	"userspace $(sha256sum < /tmp/user.png | cut -c1-16)"
cmp -s /tmp/mdev1.png /tmp/mdev2.png
result $? "the reopened mdev draws the same PNG"
cmp -s /tmp/mdev1.png /tmp/user.png
result $? "the mdev's PNG is the userspace backend's, byte for byte"

# Remove the mdev under a running guest: VFIO asks mptrun for the device
# (request IRQ), mptrun ends the run, the removal completes.
echo "ktier: remove under a guest" > /dev/kmsg
$RUN --vfio "$D2" $B/loop.elf > /tmp/loop.out 2>&1 &
pid=$!
i=0
while ! grep -q 'looping forever' /tmp/loop.out && [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
diag "guest running after $((i * 100)) ms"
clock
t0=$NOW
echo 1 > "$D2/remove"
rst=$?
clock
rms=$((NOW - t0))
wait $pid
st=$?
diag "remove: status $rst in $rms ms; mptrun: status $st"
grep '^mptrun' /tmp/loop.out > /tmp/bad
diag_file /tmp/bad
[ "$st" = 123 ] && grep -q 'being removed' /tmp/loop.out
result $? "removing the mdev ends mptrun with status 123"
[ $rst = 0 ] && [ ! -e "$D2" ] && [ $rms -lt 20000 ]
result $? "and the removal completes at once"

echo 1 > "$D1/remove" && [ ! -e "$D1" ]
result $? "remove the other mdev"

unload_all
result $? "rmmod mpt_mdev, mgpu and the rest of ours"
ok=0
for m in kvm_amd kvm mdev vfio_iommu_type1 vfio; do
	loaded "$m" && { rmmod "$m" || ok=1; }
done
result $ok "rmmod kvm_amd, kvm, mdev, vfio_iommu_type1, vfio"

since_mark mdev_guests | grep -E "$LOG_BAD" > /tmp/log.bad
[ $? != 0 ]
result $? "no bug report in the kernel log"
[ -s /tmp/log.bad ] && diag_file /tmp/log.bad
finish
