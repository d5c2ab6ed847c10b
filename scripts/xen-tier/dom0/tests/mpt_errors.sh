#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mpt-xen's errors are clear and leave nothing behind: no such domain, a
# device type exhausted (mgpu allows 4 instances), an unknown device type.
. /tier/lib.sh
. /tier/xen.sh
xen_pin
plan 4
xen_have mpt-xen selftest.elf
$B/mpt-xen run --domid 4242 --device mgpu > /tmp/e1.out 2> /tmp/e1.err
st=$?
[ $st = 1 ] && grep -q "no such domain: 4242" /tmp/e1.err
result $? "run --domid 4242: 'no such domain', status 1 (got $st)"
diag_file /tmp/e1.err
xen_guest exhaust 1 '"mgpu", "mgpu", "mgpu", "mgpu", "mgpu"' selftest
xen_create exhaust
[ $status = 1 ] && grep -q "type exhausted" /tmp/exhaust.err
result $? "five mgpus: 'type exhausted', status 1 (got $status)"
xen_guest unknown 1 '"nosuchgpu"' selftest
xen_create unknown
[ $status = 2 ] && grep -q "unknown device type" /tmp/unknown.err
result $? "an unknown type: 'unknown device type', status 2 (got $status)"
xl list > /tmp/xl.after 2>&1 && ! grep -qE '^(exhaust|unknown) ' /tmp/xl.after
result $? "no domain left behind"
diag_file /tmp/xl.after
finish
