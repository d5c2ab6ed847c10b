#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The backend conformance suite (tests/conformance) over the Xen backend:
# target_xen.c builds real domains with the suite's RAM layout (holes
# included) and the backend serves them from dom0.  Cases that need the
# guest's CPU to store or to access MMIO are skipped by the suite (the
# guest tests cover those paths with real guests); every other case must
# pass.
. /tier/lib.sh
. /tier/xen.sh
plan 3
xen_have conformance-xen
timeout -s KILL 600 $B/conformance-xen > /tmp/conf.tap 2> /tmp/conf.err
st=$?
pass=$(grep -c '^ok ' /tmp/conf.tap)
skips=$(grep -c '^ok .*# SKIP' /tmp/conf.tap)
fails=$(grep -c '^not ok ' /tmp/conf.tap)
planned=$(grep -o '^1\.\.[0-9]*' /tmp/conf.tap | head -n 1 | cut -c4-)
[ -n "$planned" ] || diag "no plan in the TAP; its last lines: $(tail -n 3 /tmp/conf.tap | tr '\n' '|')"
grep '^not ok ' /tmp/conf.tap | head -n 30 | while read -r l; do diag "$l"; done
[ $st = 0 ]
result $? "conformance-xen exits 0 (got $st)"
[ "$fails" = 0 ] && [ -n "$planned" ] && [ $((pass + fails)) = "$planned" ]
result $? "every case ran: $((pass - skips)) passed, $skips skipped, $fails failed of $planned"
[ $((pass - skips)) -gt 0 ]
result $? "cases ran against real domains"
[ $st = 0 ] || { diag "stderr:"; head -n 20 /tmp/conf.err | while read -r l; do diag "  $l"; done; }
xl list > /tmp/xl.after 2>&1
[ "$(grep -c '' /tmp/xl.after)" -le 2 ] || { diag "domains left:"; diag_file /tmp/xl.after; }
finish
