# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by the Xen tier's mpt tests (after /tier/lib.sh): domU configs
# for the guest images in /tier/bin and a way to run them under mpt-xen.
#
#   xen_have FILE...            fail the whole test (not skip) if missing
#   xen_pin                     run dom0 and the next guests on physical
#                               CPU 0 (see below)
#   xen_guest NAME VCPUS DEVS   /tmp/NAME.cfg: PVH domU NAME from NAME.elf,
#                               64 MiB, mpt_device = [ DEVS ]
#   xen_create NAME [ARGS...]   mpt-xen create ARGS /tmp/NAME.cfg; guest
#                               output in /tmp/NAME.out, errors in
#                               /tmp/NAME.err, status in $status
#   xen_guest_tap               count the guest's TAP in /tmp/$XNAME.out:
#                               $gplan, $gpass, $gfail; 0 if all passed
#   xen_guest_passed MIN        two checks: the guest's TAP passed, and its
#                               whole plan (more than MIN tests) ran
B=/tier/bin
# mpt-xen create --timeout: guests under TCG, ~10 ms per device access.
XEN_TIMEOUT=${XEN_TIMEOUT:-300}

xen_have() {
	local f
	for f in "$@"; do
		if [ ! -e "$B/$f" ]; then
			echo "1..1"
			echo "not ok 1 $f is in /tier/bin (make xen-tier-files)"
			exit 1
		fi
	done
}

# Under TCG each vCPU is a QEMU thread, and on a loaded host every
# handoff between the guest's vCPU and the model's dom0 vCPU waits for the
# host's scheduler: with both on one physical CPU the handoff stays inside
# one QEMU thread, 4 to 12 times faster (xbench).  The tier gives Xen one
# CPU by default (run.sh), where this changes nothing; with XTIER_SMP=2
# mpt_functional runs unpinned, so the cross-CPU path is tested too.
XEN_CPUS=
xen_pin() {
	xl vcpu-pin Domain-0 all 0 > /dev/null 2>&1 || diag "xl vcpu-pin failed"
	XEN_CPUS='cpus = "0"'
}

xen_guest() { # name vcpus devices [image]
	cat > "/tmp/$1.cfg" <<EOC
name = "$1"
type = "pvh"
kernel = "$B/${4:-$1}.elf"
memory = 64
vcpus = $2
on_crash = "preserve"
mpt_device = [ $3 ]
$XEN_CPUS
EOC
}

xen_create() { # name [args...]
	local name=$1
	shift
	XNAME=$name
	timeout -s KILL $((XEN_TIMEOUT + 60)) $B/mpt-xen create --timeout $XEN_TIMEOUT "$@" \
		"/tmp/$name.cfg" > "/tmp/$name.out" 2> "/tmp/$name.err"
	status=$?
	[ $status = 0 ] || {
		diag "mpt-xen stderr:"
		diag_file "/tmp/$name.err"
		diag "the guest's last lines:"
		tail -n 5 "/tmp/$name.out" | diag_file /dev/stdin
	}
	return $status
}

xen_guest_tap() {
	local f=/tmp/$XNAME.out
	gplan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$f" | head -n 1)
	gplan=${gplan:-0}
	gpass=$(grep -c '^ok ' "$f")
	gfail=$(grep -c '^not ok ' "$f")
	# Each failure with the guest's diagnostics (up to 3 lines) before it.
	awk '/^#/{d[n++%3]=$0; next} /^not ok /{for(i=(n>3?n-3:0);i<n;i++)print d[i%3]; print} {n=0}' "$f" |
		head -n 40 | while read -r l; do diag "guest: $l"; done
	[ "$gfail" = 0 ] && [ "$gpass" -gt 0 ]
}

xen_guest_passed() { # min_plan
	xen_guest_tap
	result $? "the guest's TAP: $gpass passed, $gfail failed of plan $gplan"
	[ "$gplan" -gt "$1" ] && [ "$gfail" = 0 ] && [ "$gpass" = "$gplan" ]
	result $? "every test of the guest's plan ran and passed"
}
