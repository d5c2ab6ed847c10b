#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The functional guest as a Xen PVH domU with two vCPUs and an mgpu served
# from dom0 by mpt-xen (ioreq server with an event channel per vCPU,
# foreign mappings, MSIs, write-tracking): its own TAP must pass, as it
# does under mptrun on KVM, with nothing skipped: both vCPUs submit at
# once (the guest starts vCPU 1 with VCPUOP_up), and a page the device
# read is given back to Xen and populated again, which must reach the
# model as IOREQ_TYPE_INVALIDATE (the stats count it) and make the device
# read the new page.
. /tier/lib.sh
. /tier/xen.sh
plan 6
xen_have mpt-xen functional.elf
xen_guest functional 2 '"mgpu"'
xen_create functional --stats-file /tmp/functional.json
result $? "mpt-xen create ran the functional guest (status $status, 0 expected)"
xen_guest_passed 20
gskip=$(grep -ci '^ok .*# skip' /tmp/functional.out)
grep -i '^ok .*# skip' /tmp/functional.out | head -n 5 | diag_file /dev/stdin
[ "$gskip" = 0 ] && grep -q '^ok .*both CPUs finish' /tmp/functional.out
result $? "nothing skipped ($gskip): both vCPUs ran, the page went back to Xen"
inval=$(sed -n 's/.*"invalidates": \([0-9]*\).*/\1/p' /tmp/functional.json)
[ "${inval:-0}" -ge 1 ]
result $? "the model saw IOREQ_TYPE_INVALIDATE (${inval:-none}) and flushed"
xl list > /tmp/xl.after 2>&1 && ! grep -q '^functional ' /tmp/xl.after
result $? "the domain is gone afterwards, dom0 fine"
diag "stats: $(cat /tmp/functional.json 2>/dev/null)"
finish
