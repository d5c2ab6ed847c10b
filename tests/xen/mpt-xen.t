#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# mpt-xen on the host, outside Xen: its usage errors, and the clear error
# when Xen is not running (the Xen tier, tests/xen/xen-tier.t, runs it in
# dom0 against real domains).  The build must have made it: make check
# installs libxen-dev first.
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
x=$O/mpt-xen
t=$O/tests/xen/mpt-xen.tmp
mkdir -p "$t"
n=0
fail=0
ok() { # status, name
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"; fail=1
		[ -s "$t/err" ] && sed 's/^/#   stderr: /' "$t/err" | head -n 5
	fi
}
run() { # args...: status in $st, stderr in $t/err
	"$x" "$@" > "$t/out" 2> "$t/err"
	st=$?
}
[ -x "$x" ]
ok $? "mpt-xen is built ($x; needs libxen-dev)"
[ -x "$x" ] || { echo "1..$n"; exit 1; }

run
[ $st = 2 ] && grep -q "usage: mpt-xen run" "$t/err"
ok $? "no command: usage, status 2"
run frobnicate
[ $st = 2 ] && grep -q "unknown command 'frobnicate'" "$t/err"
ok $? "an unknown command is named"
run run --device mgpu
[ $st = 2 ] && grep -q "\-\-domid is required" "$t/err"
ok $? "run without --domid is refused"
run run --domid 0 --device mgpu
[ $st = 2 ] && grep -q "want 1 to 32751" "$t/err"
ok $? "run --domid 0 (dom0 has no device model) is refused"
run run --domid 3 --device mgpu,x=1
[ $st = 2 ]
ok $? "a device option is refused, not ignored"
printf 'name = "g"\ntype = "pvh"\nmpt_colour = [ "red" ]\n' > "$t/bad.cfg"
run create "$t/bad.cfg"
[ $st = 2 ] && grep -q "unknown mpt key 'mpt_colour'" "$t/err"
ok $? "create: an unknown mpt key is named"
printf 'name = "g"\ntype = "pvh"\n' > "$t/nodev.cfg"
run create "$t/nodev.cfg"
[ $st = 2 ] && grep -q "no mpt_device" "$t/err"
ok $? "create: a configuration without mpt_device is refused"
if [ -e /dev/xen/privcmd ]; then
	ok 0 "# SKIP this host runs Xen: the not-running errors cannot show"
	ok 0 "# SKIP this host runs Xen"
else
	run run --domid 3 --device mgpu
	[ $st = 1 ] && grep -q "Xen is not running" "$t/err"
	ok $? "run without Xen: 'Xen is not running', status 1"
	printf 'name = "g"\ntype = "pvh"\nmpt_device = [ "mgpu" ]\n' > "$t/ok.cfg"
	run create "$t/ok.cfg"
	[ $st = 1 ] && grep -q "Xen is not running" "$t/err"
	ok $? "create without Xen: 'Xen is not running', status 1, before xl runs"
fi
echo "1..$n"
rm -rf "$t"
exit $fail
