#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mpt_test.ko runs the in-kernel unit scenarios and the conformance suite
# over the sim backend when it loads, and prints KTAP to the kernel log.
# Its KTAP is passed on here as subtest 2, whole: the host checks every
# result and every plan in it.
. /tier/lib.sh

have mpt_test || skip_all "mpt_test.ko was not built"
plan 4
unload_all
have mpt_sim && modprobe mpt_sim
mark mpt_test
timed modprobe mpt_test
st=$?
result $st "modprobe mpt_test"
diag "status $st in $ms ms"
[ $st = 0 ] || diag_file /tmp/cmd.out

# Its KTAP: the kernel log since the mark, timestamps off, from its first
# version line on, lines that KTAP knows only.
since_mark mpt_test | sed 's/^\[[ 0-9.]*\] //' |
	sed -n '/TAP version/,$p' |
	grep -E '^ *((K?TAP version|1\.\.|(not )?ok |#).*)$' > /tmp/mt.ktap
echo "    KTAP version 1"
echo "    # Subtest: mpt_test"
sed -e '1{/TAP version/d}' -e 's/^/    /' /tmp/mt.ktap
# Its verdict, from its top level: a plan, as many results, none failed.
top=$(grep -E '^1\.\.[0-9]+' /tmp/mt.ktap | head -n 1 | sed 's/^1\.\.\([0-9]*\).*/\1/')
nres=$(grep -cE '^(not )?ok [0-9]' /tmp/mt.ktap)
nbad=$(grep -E '^not ok [0-9]' /tmp/mt.ktap | grep -vc '# SKIP')
[ -n "$top" ] && [ "$top" = "$nres" ] && [ "$nbad" = 0 ]
result $? "mpt_test"
diag "mpt_test: plan 1..${top:-(none)}, $nres results, $nbad failed"
# Loaded after mpt_sim, it must find the sim backend and run everything:
# a suite skipped for want of it would pass unnoticed.
grep -i '# SKIP.*no usable sim' /tmp/mt.ktap > /tmp/mt.skip
[ ! -s /tmp/mt.skip ]
result $? "mpt_test found the sim backend and ran its suites"
diag_file /tmp/mt.skip
rmmod mpt_test
unload_all
[ -z "$(ours_loaded)" ]
result $? "mpt_test and the modules it used unload"
finish
