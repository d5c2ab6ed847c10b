#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# ktier-kmods: kvm_amd
# mpt_mdev.ko (backends/kvmgt/kernel): the "kvmgt" backend as a vfio-mdev
# parent, driven the way a VMM does.  Loads vfio, vfio_iommu_type1, mdev,
# then mpt_testdev (the device type "testdev", with mpt and mpt_sim) and
# mpt_mdev; creates an mdev of type mpt_mdev-testdev through sysfs (a bad
# UUID, a duplicate and an exhausted type are refused); runs
# /tier/bin/vfio_client (tests/kernel/vfio_client.c), whose KTAP is the
# subtest of one result: container, group, type1 IOMMU (emulated, no IOMMU
# under TCG), device fd, GET_INFO, config-space IDs, BAR0, 4 MSI vectors
# each reaching its own eventfd, the request interrupt, guest memory the
# device reads, fills and DMA-maps (VFIO_IOMMU_MAP_DMA; an unmap
# invalidates), page tracking refused without a VM, reset, rmmod mpt_mdev
# refused while the device is open, close and reopen; while it is open,
# mpt_kvmgt_test.ko attaches an instance of its own as a test harness does
# (include/mpt/kvmgt.h) and checks the ops through its handle, and once
# the client closed, that the instance lost its access.  Then the client
# runs a KVM VM (nested SVM; kvm_amd is in the initramfs through the
# ktier-kmods line below) linked to the group: a vCPU's write to a
# page the device tracks must reach the device.  A second mdev is
# removed while open: the client's request eventfd fires and the remove
# completes when it closes.  Then rmmod is refused while the first mdev
# exists, it is removed and everything unloads in reverse, leaving no bug
# report in the kernel log.
. /tier/lib.sh

have mpt_mdev || skip_all "mpt_mdev.ko was not built (no VFIO/mdev headers)"
have mpt_testdev || skip_all "mpt_testdev.ko was not built"
[ -x /tier/bin/vfio_client ] || skip_all "no vfio_client (gcc -static failed)"
plan 15
unload_all
mark mdev
TESTDEV_IDS="1af4 10f2"	# tests/kernel/testdev.c
UUID=5a4d7e2c-0b1f-4c6e-9d3a-6f1e2b3c4d5e
UUID2=6b5e8f3d-1c20-4d7f-8e4b-7a2f3c4d5e6f
PARENT=/sys/class/mdev_bus/mpt_mdev
TYPE=$PARENT/mdev_supported_types/mpt_mdev-testdev

ok=0
for m in vfio vfio_iommu_type1 mdev; do
	modprobe "$m" > /tmp/cmd.out 2>&1 || { ok=1; diag "modprobe $m:"; diag_file /tmp/cmd.out; }
done
result $ok "modprobe vfio, vfio_iommu_type1, mdev"

modprobe mpt_testdev && timed modprobe mpt_mdev
st=$?
[ $st = 0 ] && [ -d "$TYPE" ] && [ "$(cat "$TYPE/device_api")" = vfio-pci ]
result $? "modprobe mpt_mdev offers the type mpt_mdev-testdev"
diag "status $st in $ms ms; types: $(ls $PARENT/mdev_supported_types 2>&1 | tr '\n' ' ')"
[ $st = 0 ] || diag_file /tmp/cmd.out
avail=$(cat "$TYPE/available_instances" 2> /dev/null)
diag "available_instances: $avail; description: $(cat "$TYPE/description" 2> /dev/null)"

! echo not-a-uuid > "$TYPE/create" 2> /dev/null &&
	[ "$(cat "$TYPE/available_instances")" = "$avail" ]
result $? "a bad UUID is refused"

echo "$UUID" > "$TYPE/create" && [ -d "/sys/bus/mdev/devices/$UUID" ]
result $? "echo UUID > create makes the mdev"
grp=$(basename "$(readlink "/sys/bus/mdev/devices/$UUID/iommu_group")")
diag "iommu group $grp; available_instances now $(cat "$TYPE/available_instances")"

! echo "$UUID" > "$TYPE/create" 2> /dev/null
result $? "the same UUID again is refused"

# Exhaust the type: create what is left, then one more must fail.
left=$(cat "$TYPE/available_instances")
made=
i=0
ok=0
while [ "$i" -lt "$left" ]; do
	u=$(printf '0000%04x-1111-4222-8333-444455556666' "$i")
	echo "$u" > "$TYPE/create" || { ok=1; diag "create $u failed"; break; }
	made="$made $u"
	i=$((i + 1))
done
[ $ok = 0 ] && [ "$(cat "$TYPE/available_instances")" = 0 ] &&
	! echo 0000ffff-1111-4222-8333-444455556666 > "$TYPE/create" 2> /dev/null
result $? "an exhausted type refuses another mdev ($left more made first)"
for u in $made; do
	echo 1 > "/sys/bus/mdev/devices/$u/remove" || diag "remove $u failed"
done

# The second mdev exists (not open) for mpt_kvmgt_test's lookups.
echo "$UUID2" > "$TYPE/create" || diag "create $UUID2 failed"
hook=
have mpt_kvmgt_test &&
	hook="modprobe mpt_kvmgt_test uuid=$UUID absent=$UUID2 > /tmp/hook.out 2>&1"
echo "ktier: vfio_client" > /dev/kmsg
VFIO_CLIENT_HOOK=$hook /tier/bin/vfio_client "$grp" "$UUID" $TESTDEV_IDS \
	"rmmod mpt_mdev 2> /dev/null" > /tmp/client.out 2>&1
st=$?
cat /tmp/client.out
result $st "vfio_client drives the mdev through VFIO"

# The harness's checks at load and, the device closed, at unload.
ok=1
if [ -n "$hook" ]; then
	[ -s /tmp/hook.out ] && diag_file /tmp/hook.out
	rmmod mpt_kvmgt_test
	dmesg | grep 'mpt_kvmgt_test: ' > /tmp/kt.out
	while read -r line; do diag "$line"; done < /tmp/kt.out
	grep -q 'mpt_kvmgt_test: ok .* after the VMM closed' /tmp/kt.out &&
		! grep -q 'mpt_kvmgt_test: not ok' /tmp/kt.out
	ok=$?
fi
result $ok "a harness attaches its own instance to the open mdev (mpt_kvmgt_test)"

# KVM's page tracking: a VM of the client's own, linked to the group.
echo "ktier: vfio_client kvm" > /dev/kmsg
ok=1
if modprobe kvm_amd > /tmp/cmd.out 2>&1 && [ -c /dev/kvm ]; then
	/tier/bin/vfio_client kvm "$grp" "$UUID" > /tmp/client.out 2>&1
	ok=$?
	cat /tmp/client.out
	rmmod kvm_amd
else
	diag "no /dev/kvm (kvm_amd):"
	diag_file /tmp/cmd.out
fi
result $ok "a write of a KVM guest to a page the device tracks reaches it"

echo "ktier: vfio_client remove" > /dev/kmsg
ok=1
if [ -d "/sys/bus/mdev/devices/$UUID2" ]; then
	grp2=$(basename "$(readlink "/sys/bus/mdev/devices/$UUID2/iommu_group")")
	/tier/bin/vfio_client remove "$grp2" "$UUID2" > /tmp/client.out 2>&1
	ok=$?
	cat /tmp/client.out
fi
result $ok "an mdev removed while open asks the VMM to close it (request eventfd)"

! rmmod mpt_mdev 2> /dev/null && ! rmmod mpt_testdev 2> /dev/null &&
	loaded mpt_mdev && loaded mpt_testdev
result $? "rmmod mpt_mdev and mpt_testdev refused while the mdev exists"

echo 1 > "/sys/bus/mdev/devices/$UUID/remove" &&
	[ ! -e "/sys/bus/mdev/devices/$UUID" ] &&
	[ "$(cat "$TYPE/available_instances")" = "$avail" ]
result $? "remove takes the mdev away and gives the instance back"

rmmod mpt_mdev && rmmod mpt_testdev && rmmod mpt_sim && rmmod mpt
result $? "rmmod mpt_mdev, mpt_testdev, mpt_sim, mpt"
unload_all
ok=0
for m in mdev vfio_iommu_type1 vfio; do
	loaded "$m" && { rmmod "$m" || ok=1; }
done
result $ok "rmmod mdev, vfio_iommu_type1, vfio"

since_mark mdev | grep -E "$LOG_BAD" > /tmp/log.bad
[ $? != 0 ]
result $? "no bug report in the kernel log"
[ -s /tmp/log.bad ] && diag_file /tmp/log.bad
finish
