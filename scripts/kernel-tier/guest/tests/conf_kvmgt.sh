#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# ktier-kmods: kvm_amd
# The backend conformance suite over mpt_mdev.ko's in-kernel backend
# "kvmgt", on real KVM guests (nested SVM under the tier's TCG): loads
# kvm_amd, vfio, vfio_iommu_type1, mdev, mpt_testdev (the mdev type
# mpt_mdev-testdev), mpt_mdev and mpt_conf_kvmgt; makes two mdevs; runs
# /tier/bin/conf_kvmgt_agent (tests/kernel/conf_kvmgt_agent.c), which opens
# each mdev as a VMM does for a KVM VM of its own and has mpt_conf_kvmgt.ko
# run the suite over those guests.  The suite's KTAP, from the kernel log,
# is passed on whole as subtest 5 (the host checks every result and plan
# in it).  Then: the backend's MSIs reached the agent's eventfds, an
# agent that dies mid-suite makes the suite end (failed) instead of hang,
# the mdevs go, everything unloads, and the kernel log has no bug report.
. /tier/lib.sh

have mpt_conf_kvmgt ||
	skip_all "mpt_conf_kvmgt.ko was not built (needs mpt_mdev.ko and include/mpt/kvmgt.h)"
have mpt_testdev || skip_all "mpt_testdev.ko was not built"
[ -x /tier/bin/conf_kvmgt_agent ] || skip_all "no conf_kvmgt_agent (gcc -static failed)"
plan 10
unload_all
mark conf_kvmgt
PARENT=/sys/class/mdev_bus/mpt_mdev
TYPE=$PARENT/mdev_supported_types/mpt_mdev-testdev
U1=c0f0c0f0-0001-4abc-8def-000000000001
U2=c0f0c0f0-0002-4abc-8def-000000000002

ok=0
for m in kvm_amd vfio vfio_iommu_type1 mdev; do
	modprobe "$m" > /tmp/cmd.out 2>&1 || { ok=1; diag "modprobe $m:"; diag_file /tmp/cmd.out; }
done
[ $ok = 0 ] && [ -c /dev/kvm ]
result $? "modprobe kvm_amd, vfio, vfio_iommu_type1, mdev: /dev/kvm is there"

modprobe mpt_testdev && modprobe mpt_mdev && timed modprobe mpt_conf_kvmgt
st=$?
[ $st = 0 ] && [ -d "$TYPE" ] && [ -c /dev/mpt_conf_kvmgt ]
result $? "modprobe mpt_testdev, mpt_mdev, mpt_conf_kvmgt: /dev/mpt_conf_kvmgt"
[ $st = 0 ] || diag_file /tmp/cmd.out

echo "$U1" > "$TYPE/create" && echo "$U2" > "$TYPE/create"
result $? "make two mdevs of type mpt_mdev-testdev"
g1=$(basename "$(readlink "/sys/bus/mdev/devices/$U1/iommu_group")")
g2=$(basename "$(readlink "/sys/bus/mdev/devices/$U2/iommu_group")")
diag "iommu groups $g1 and $g2"

# Guest RAM in 2 MiB pages (the backend's 64 KiB and 2 MiB DMA mappings
# need host-contiguous memory): 16 per guest, reserved while the memory is
# not yet fragmented; the agent falls back to transparent huge pages.
hp_before=$(cat /proc/sys/vm/nr_hugepages)
echo 32 > /proc/sys/vm/nr_hugepages
diag "hugetlbfs pages reserved: $(cat /proc/sys/vm/nr_hugepages) of 32 asked for"

# The agent's own lines are KTAP diagnostics already ("# ...").
echo "ktier: conf_kvmgt_agent" > /dev/kmsg
clock
t0=$NOW
/tier/bin/conf_kvmgt_agent "$g1:$U1" "$g2:$U2" > /tmp/agent.out 2>&1
st=$?
clock
cat /tmp/agent.out
result $st "conf_kvmgt_agent made the guests and the suite passed"
diag "agent status $st after $((NOW - t0)) ms"

# The suite's KTAP: the kernel log since the mark, timestamps off, from
# the module's first version line on, lines that KTAP knows only.
since_mark conf_kvmgt | sed 's/^\[[ 0-9.]*\] //' |
	sed -n '/^KTAP version/,$p' |
	grep -E '^ *((K?TAP version|1\.\.|(not )?ok |#).*)$' > /tmp/ck.ktap
echo "    KTAP version 1"
echo "    # Subtest: mpt_conf_kvmgt"
sed -e '1{/TAP version/d}' -e 's/^/    /' /tmp/ck.ktap
top=$(grep -E '^1\.\.[0-9]+' /tmp/ck.ktap | head -n 1 | sed 's/^1\.\.\([0-9]*\).*/\1/')
nres=$(grep -cE '^(not )?ok [0-9]' /tmp/ck.ktap)
nbad=$(grep -E '^not ok [0-9]' /tmp/ck.ktap | grep -vc '# SKIP')
[ -n "$top" ] && [ "$top" = "$nres" ] && [ "$nbad" = 0 ] &&
	grep -q '^# mpt_conf_kvmgt: PASS' /tmp/ck.ktap
result $? "mpt_conf_kvmgt"
diag "mpt_conf_kvmgt: plan 1..${top:-(none)}, $nres results, $nbad failed"

# inject_msi returned 0: the eventfds the agent set must have counted it.
msis=0
for c in $(sed -n 's/^# msi: guest [0-9]* signalled \([0-9]*\) times.*/\1/p' /tmp/agent.out); do
	msis=$((msis + c))
done
[ "$msis" -gt 0 ]
result $? "the backend's MSIs reached the agent's eventfds ($msis signals)"

# A dead agent: the module gives up on it after one timeout (2 s here)
# and ends the suite with failures at once, instead of hanging the kernel.
echo 2 > /sys/module/mpt_conf_kvmgt/parameters/timeout_s
mark conf_kvmgt_dead
clock
t0=$NOW
/tier/bin/conf_kvmgt_agent --die-after 20 "$g1:$U1" "$g2:$U2" > /tmp/dead.out 2>&1
st=$?
clock
since_mark conf_kvmgt_dead > /tmp/dead.log
[ $st = 9 ] && grep -q 'did not answer request' /tmp/dead.log &&
	grep -q '# mpt_conf_kvmgt: FAIL' /tmp/dead.log
result $? "an agent dying mid-suite ends it, failed, in $((NOW - t0)) ms"
[ $st = 9 ] || { diag "agent status $st:"; diag_file /tmp/dead.out; }
grep -E 'did not answer|Totals' /tmp/dead.log | sed 's/^\[[ 0-9.]*\] *//; s/^# //; s/^/# /'

echo "$hp_before" > /proc/sys/vm/nr_hugepages
echo 1 > "/sys/bus/mdev/devices/$U1/remove" && echo 1 > "/sys/bus/mdev/devices/$U2/remove"
result $? "the mdevs are removed"

unload_all
ok=$?
for m in mdev vfio_iommu_type1 vfio kvm_amd; do
	loaded "$m" && { rmmod "$m" || ok=1; }
done
result $ok "everything unloads"

since_mark conf_kvmgt | grep -E "$LOG_BAD" > /tmp/log.bad
[ $? != 0 ]
result $? "no bug report in the kernel log"
[ -s /tmp/log.bad ] && diag_file /tmp/log.bad
finish
