#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mgpu.ko (the reference device model, samples/mgpu) and mgpu_test.ko,
# which runs mgpu's unit tests (tests/mgpu) over the sim backend when it
# loads and prints KTAP to the kernel log.  Its KTAP is passed on here,
# whole, as the subtest of result 3: the host checks every result and
# every plan in it.
. /tier/lib.sh

have mgpu || skip_all "mgpu.ko was not built"
have mgpu_test || skip_all "mgpu_test.ko was not built"
plan 5
unload_all
modprobe mpt_sim && timed modprobe mgpu
st=$?
result $st "modprobe mgpu registers the device type"
diag "status $st in $ms ms"
[ $st = 0 ] || diag_file /tmp/cmd.out
mark mgpu_test
timed modprobe mgpu_test
st=$?
result $st "modprobe mgpu_test"
diag "status $st in $ms ms"
[ $st = 0 ] || diag_file /tmp/cmd.out

# Its KTAP: the kernel log since the mark, timestamps off, from its first
# version line on, lines that KTAP knows only.
since_mark mgpu_test | sed 's/^\[[ 0-9.]*\] //' |
	sed -n '/TAP version/,$p' |
	grep -E '^ *((K?TAP version|1\.\.|(not )?ok |#).*)$' > /tmp/gt.ktap
echo "    KTAP version 1"
echo "    # Subtest: mgpu_test"
sed -e '1{/TAP version/d}' -e 's/^/    /' /tmp/gt.ktap
# Its verdict, from its top level: a plan, as many results, none failed
# and none skipped (a suite skipped for want of the sim backend would
# pass unnoticed).
top=$(grep -E '^1\.\.[0-9]+' /tmp/gt.ktap | head -n 1 | sed 's/^1\.\.\([0-9]*\).*/\1/')
nres=$(grep -cE '^(not )?ok [0-9]' /tmp/gt.ktap)
nbad=$(grep -E '^not ok [0-9]' /tmp/gt.ktap | grep -vc '# SKIP')
[ -n "$top" ] && [ "$top" = "$nres" ] && [ "$nbad" = 0 ] &&
	! grep -q '# SKIP' /tmp/gt.ktap && grep -q '^# mgpu_test: PASS' /tmp/gt.ktap
result $? "mgpu_test"
diag "mgpu_test: plan 1..${top:-(none)}, $nres results, $nbad failed"
grep '^# Totals' /tmp/gt.ktap > /tmp/gt.tot && diag_file /tmp/gt.tot
rmmod mgpu_test
# The tests gave the type back: mgpu.ko is in use by nobody.
[ "$(refcnt mgpu)" = 0 ]
result $? "no instance left on mgpu.ko"
diag "mgpu refcnt $(refcnt mgpu)"
unload_all
[ -z "$(ours_loaded)" ]
result $? "mgpu, mgpu_test and the modules they used unload"
finish
