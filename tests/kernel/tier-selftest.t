#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The kernel tier checks itself: its verdict (scripts/kernel-tier/
# ktap2tap.py) must fail each kind of broken run made up here (a missing
# result, a subtest cut short, a parent ok over a failed child, each
# forbidden console line, a panic, a timeout), and pass a good one.  Then
# one real boot with a module that raises a WARNING and writes past a slab
# object (run.sh --canary) must be failed for both: proof that kernel
# warnings reach the captured console although the guest boots quiet, and
# that the slab checker is on.
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
t=$O/kernel-tier/selftest
rm -rf "$t"
mkdir -p "$t"
n=0
fail=0
ok() { # status, description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"
		fail=1
		sed 's/^/#   /' "$t/out" | head -n 40
	fi
}
good_ktap() {
	cat <<'K'
KTAP version 1
1..2
    KTAP version 1
    # Subtest: one
    1..2
    ok 1 first
    not ok 2 second # SKIP not here
# one: done
ok 1 one
    KTAP version 1
    # Subtest: two
    1..1
        KTAP version 1
        # Subtest: inner
        1..1
        ok 1 deep
    ok 1 inner
ok 2 two
# ktier: end of tests
K
}
good_console() {
	printf '%s\n' '[    0.9] PCI: if necessary, use "pci=nocrs" and report a bug' \
		'[    1.3] AMD-Vi: This is not a bug.' 'ktier: powering off'
}
# verdict NAME STATUS [ARGS]: judge $t/NAME.ktap and $t/NAME.console.
verdict() {
	python3 scripts/kernel-tier/ktap2tap.py --ktap "$t/$1.ktap" \
		--console "$t/$1.console" --status "$2" --timeout 300 \
		--tests 2 > "$t/out" 2>&1
}
case_() { # name, ktap filter (sed), console extra line, status, expected failure (grep -E)
	good_ktap | sed "$2" > "$t/case.ktap"
	{ good_console; [ -n "$3" ] && printf '%s\n' "$3"; } > "$t/case.console"
	verdict case "$4"
	st=$?
	[ $st = 1 ] && grep -qE "^not ok [0-9]+ - ($5)" "$t/out" &&
		[ "$(grep -c '^not ok' "$t/out")" -le 3 ]
	ok $? "$1 is failed"
}

good_ktap > "$t/good.ktap"
good_console > "$t/good.console"
verdict good 0
[ $? = 0 ] && ! grep -q '^not ok' "$t/out" && grep -q '^1\.\.11$' "$t/out" &&
	grep -q '^ok 2 - one: second # SKIP not here$' "$t/out"
ok $? "a good run passes: 6 results at three depths, 5 checks of the run, skips kept"

case_ "a missing result" '/^    ok 1 first/d' "" 0 "KTAP complete"
case_ "a run cut short" '/^ok 2 two/,$d' "" 0 "KTAP complete|the guest reached"
case_ "a parent ok over a failed child" 's/^        ok 1 deep/        not &/' \
	"" 0 "KTAP complete"
case_ "a top-level plan other than the tests put in" 's/^1\.\.2$/1..3/' "" 0 "KTAP complete"
case_ "no KTAP at all" 'd' "" 0 "KTAP complete"
while IFS='|' read -r what bad; do
	case_ "a console with $what" "" "[    3.1] $bad" 0 "console has no BUG:"
done <<'B'
BUG:|BUG: kernel NULL pointer dereference, address: 0000000000000008
kernel BUG at|kernel BUG at core/instance.c:120!
a slab BUG report|BUG kmalloc-64 (Tainted: G           OE     ): Redzone overwritten
WARNING:|WARNING: CPU: 0 PID: 93 at mpt/registry.c:12 mpt_backend_register+0x1
Oops|Oops: 0002 [#1] PREEMPT SMP NOPTI
Call Trace|Call Trace:
general protection|general protection fault, probably for non-canonical address
gave up waiting|mpt_sim: gave up waiting for init of module mpt.
B
case_ "a panic" '/^ok 2 two/,$d' "Kernel panic - not syncing: Fatal exception" 0 \
	"no kernel panic"
case_ "a timeout" '/ktier: end of tests/d' "" 124 "QEMU powered off by itself: timed out"

# One real boot: the canary's WARNING and red-zone write must fail it,
# and nothing else.
scripts/kernel-tier/run.sh --canary --out "$O/kernel-tier/canary" > "$t/out" 2>&1
st=$?
if grep -q '^1\.\.0 # SKIP' "$t/out"; then
	ok 0 "a boot whose module misbehaves # SKIP $(sed -n 's/^1\.\.0 # SKIP //p' "$t/out")"
else
	d="a boot whose module raises a WARNING and writes into a red zone"
	[ $st = 1 ] &&
		grep -qE '^not ok [0-9]+ - console has no BUG:' "$t/out" &&
		grep -qE '^#   \[ *[0-9.]+\] WARNING: .*canary' "$t/out" &&
		grep -qE '^#   \[ *[0-9.]+\] BUG kmalloc-[0-9]+ .*Redzone overwritten' "$t/out" &&
		grep -qE '^not ok [0-9]+ - kernel_log: kernel log has no bug' "$t/out" &&
		grep -qE '^ok [0-9]+ - the guest reached the end of its tests' "$t/out" &&
		[ "$(grep -c '^not ok' "$t/out")" = 4 ]
	ok $? "$d is failed for both, and only for them"
fi
echo "1..$n"
exit $fail
