#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The functional guest as a Xen PVH domU with an mgpu served from dom0 by
# mpt-xen (ioreq server, foreign mappings, MSIs, write-tracking): its own
# TAP must pass, as it does under mptrun on KVM.
. /tier/lib.sh
. /tier/xen.sh
plan 4
xen_have mpt-xen functional.elf
xen_guest functional 1 '"mgpu"'
xen_create functional --stats-file /tmp/functional.json
result $? "mpt-xen create ran the functional guest (status $status, 0 expected)"
xen_guest_tap
result $? "the guest's TAP: $gpass passed, $gfail failed of plan $gplan"
[ "$gplan" -gt 20 ] && [ "$gfail" = 0 ] && [ "$gpass" = "$gplan" ]
result $? "every test of the guest's plan ran and passed"
xl list > /tmp/xl.after 2>&1 && ! grep -q '^functional ' /tmp/xl.after
result $? "the domain is gone afterwards, dom0 fine"
diag "stats: $(cat /tmp/functional.json 2>/dev/null)"
finish
