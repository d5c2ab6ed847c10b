# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by guest/tests/*.t: run a guest of $O/guest under $O/mptrun and
# pass its TAP on, or say SKIP when there is no usable KVM or nothing is
# built.  Run from anywhere; O (default build) is relative to the top.
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
MPTRUN=$O/mptrun
GUESTS=$O/guest
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mpt-guest.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# guest_require ELF...: skip unless KVM, mptrun and the guests are there.
guest_require() {
	[ -c /dev/kvm ] || skip_all "no /dev/kvm"
	(exec 3<>/dev/kvm) 2>/dev/null ||
		skip_all "/dev/kvm is not usable by $(id -un)"
	[ -x "$MPTRUN" ] || skip_all "$MPTRUN not built (make mptrun)"
	for elf in "$@"; do
		[ -f "$GUESTS/$elf" ] || skip_all "$GUESTS/$elf not built (make guests)"
	done
}

# guest_run ARGS...: mptrun ARGS (a 120 s bound), stdout in $TMP/out,
# stderr in $TMP/err, exit status in $status.  A host where KVM cannot
# make a VM (mptrun's status 1 with its message) is a SKIP.
guest_run() {
	"$MPTRUN" --timeout 120 "$@" > "$TMP/out" 2> "$TMP/err"
	status=$?
	if [ $status = 1 ] && grep -q "/dev/kvm\|cannot create the VM" "$TMP/err"; then
		skip_all "no usable KVM: $(head -n 1 "$TMP/err")"
	fi
}

# guest_tap ARGS...: run a guest that speaks TAP and pass it on; mptrun's
# complaints become comments when the run fails.  Exits with the status.
guest_tap() {
	guest_run "$@"
	cat "$TMP/out"
	if [ $status != 0 ]; then
		echo "# mptrun exit status $status"
		sed 's/^/# mptrun: /' "$TMP/err" | head -n 20
	fi
	exit $status
}
