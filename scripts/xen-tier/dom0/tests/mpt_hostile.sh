#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The hostile guest attacks its mgpu (malformed commands, bad addresses,
# odd MMIO, interrupt storms, ...) while a second mgpu must not notice,
# as a Xen PVH domU: its checks pass, the model ends normally and dom0,
# its toolstack and the model are unharmed.
. /tier/lib.sh
. /tier/xen.sh
xen_pin
plan 6
xen_have mpt-xen hostile.elf
XEN_TIMEOUT=900
xen_guest hostile 1 '"mgpu", "mgpu"'
xen_create hostile --stats-file /tmp/hostile.json
result $? "mpt-xen create ran the hostile guest (status $status, 0 expected)"
xen_guest_passed 10
# The model ended by itself (no crash, no signal): it wrote its stats.
grep -q '"status": 0' /tmp/hostile.json 2> /dev/null
result $? "the model survived and reported (statistics written)"
# ... as the user it became after setup, not as root.
grep -q '"uid": 65534,' /tmp/hostile.json 2> /dev/null
result $? "the model served the guest deprivileged (uid 65534, Xen handles restricted)"
diag "stats: $(cat /tmp/hostile.json 2> /dev/null)"
xl list > /tmp/xl.after 2>&1 && grep -q '^Domain-0 ' /tmp/xl.after &&
	! grep -q '^hostile ' /tmp/xl.after && ! dmesg | grep -qiE 'BUG:|Oops|general protection'
result $? "dom0 unharmed: xl answers, the domain is gone, no kernel oops"
finish
