# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by the guest test scripts (/tier/tests/*.sh): KTAP output,
# timing, module state, and the way to make and count instances.
#
# A test script prints one KTAP (sub)document on stdout: its plan, its
# results (result/skip), "# " diagnostics.  It exits 0 when everything
# passed, 4 after skip_all (the whole test skipped, with the reason),
# anything else on failure.  /init indents it and numbers the test.

. /tier/config
LIMIT_MS=${KTIER_LOAD_MS:-2000}
KO=/lib/modules/$KTIER_KVER/extra
n=0
nfail=0

plan() { echo "1..$1"; }
diag() { echo "# $*"; }
diag_file() { sed 's/^/#   /' "$1"; }
result() { # status, description
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		nfail=$((nfail + 1))
	fi
}
skip() { # description, reason
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}
skip_all() { # reason
	echo "1..0 # SKIP $1"
	echo "$1" > /tmp/skip-reason
	exit 4
}
finish() {
	[ "$nfail" = 0 ]
	exit $?
}

# Is module $1 one of those the host put in (KTIER_OURS)?
have() {
	case " $KTIER_OURS " in *" $1 "*) return 0;; esac
	return 1
}

# The helpers below fork as little as they can: under TCG a fork costs
# milliseconds, and the cycles test calls them thousands of times.

# $NOW: milliseconds of guest uptime (10 ms resolution).
clock() {
	local up cs
	read -r up _ < /proc/uptime
	cs=${up#*.}
	cs=${cs#0}
	NOW=$((${up%.*} * 1000 + 10 * cs))
}

# timed CMD...: run it, output in /tmp/cmd.out, duration in $ms.
timed() {
	local t0 st
	clock
	t0=$NOW
	"$@" > /tmp/cmd.out 2>&1
	st=$?
	clock
	ms=$((NOW - t0))
	return $st
}

loaded() {
	local name rest
	while read -r name rest; do
		[ "$name" = "$1" ] && return 0
	done < /proc/modules
	return 1
}
live() {
	local s=
	read -r s < "/sys/module/$1/initstate" 2> /dev/null
	[ "$s" = live ]
}
refcnt() {
	local r=none
	read -r r < "/sys/module/$1/refcnt" 2> /dev/null
	echo "$r"
}
# $LOADED: those of our modules that are loaded.
scan_loaded() {
	local name rest
	LOADED=
	while read -r name rest; do
		case " $KTIER_OURS " in *" $name "*) LOADED="$LOADED $name";; esac
	done < /proc/modules
	LOADED=${LOADED# }
}
ours_loaded() {
	scan_loaded
	echo "$LOADED"
}
has_holders() {
	set -- "/sys/module/$1/holders"/*
	[ -e "$1" ]
}

# Unload every module of ours, users before what they use, whatever the
# dependencies are: rmmod what will go, pass after pass.  Each rmmod is
# timed: $unload_slow names those over the limit, $unload_log has
# "module ms" pairs.  Returns 0 when none is left.
unload_all() {
	local pass m
	unload_slow=
	unload_log=
	for pass in 1 2 3 4 5 6; do
		scan_loaded
		[ -z "$LOADED" ] && return 0
		for m in $LOADED; do
			has_holders "$m" && continue
			if timed rmmod "$m"; then
				unload_log="$unload_log $m ${ms}ms"
				[ "$ms" -le "$LIMIT_MS" ] || unload_slow="$unload_slow $m"
			fi
		done
	done
	scan_loaded
	[ -z "$LOADED" ]
}

# Every permutation of the words after the first, one per line, each
# after the prefix $1 (load_orders, mdev_orders: every load order).
perms() { # prefix, modules left
	local p=$1 m x r
	shift
	if [ $# = 0 ]; then
		echo "${p# }"
		return
	fi
	for m in "$@"; do
		r=
		for x in "$@"; do
			[ "$x" = "$m" ] || r="$r $x"
		done
		perms "$p $m" $r
	done
}

# Kernel log since mark NAME (mark NAME first).
mark() { echo "ktier: mark $1" > /dev/kmsg; }
since_mark() { dmesg | sed -n "/ktier: mark $1\$/,\$p"; }

# What no load or unload may leave in the kernel log: the 30-second wait
# of a module for a dependency still in its init (resolve_symbol_wait),
# and the kernel's bug reports (the slab checker's too: slub_debug is on).
LOG_BAD='gave up waiting|BUG:|kernel BUG at|BUG [^ ]+ \(.*\): |WARNING:'
LOG_BAD="$LOG_BAD|Oops|Call Trace|general protection"

# The modules of ours that module $1 needs (modinfo's depends).
deps_of() { eval "echo \$KTIER_DEPS_$1"; }
deps_loaded() {
	local d
	for d in $(deps_of "$1"); do
		loaded "$d" || return 1
	done
}

# ---- instances -----------------------------------------------------------
# How to make and count instances of the test device model on the sim
# backend (mpt_testdev.ko, tests/kernel/testdev.c): its parameter
# "instances" is how many it holds, at load and written at run time;
# "live" counts those whose init op ran and whose release op has not (0
# once the core has really freed every destroyed one); "violations" counts
# the backend-contract breaches the sim saw.
#
# inst_supported: the loaded mpt_testdev can make instances.
# inst_set N: make or destroy instances until there are N.
# count_instances: $INST = live instances, nothing when no counter.
# count_violations: $VIOL = contract breaches, nothing when no counter.
TD=/sys/module/mpt_testdev/parameters
inst_supported() { [ -w $TD/instances ]; }
inst_set() { echo "$1" > $TD/instances; }
count_instances() {
	INST=
	read -r INST < $TD/live 2> /dev/null
}
inst_count() {
	count_instances
	echo "$INST"
}
count_violations() {
	VIOL=
	read -r VIOL < $TD/violations 2> /dev/null
}
# The load-time form: parameters for modprobe that make one instance.
INST_LOAD_PARAM="instances=1"
