#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Every load order of the module set {mpt, mpt_sim, mpt_testdev}.
#
# mpt_sim (the backend) and mpt_testdev (a device model) import mpt's
# namespace; mpt_testdev also uses mpt_sim's test API (sim guests), so it
# needs mpt_sim too.  The dependencies are taken from the modules
# (modinfo's depends, KTIER_DEPS_<module>), not assumed.  "Every order":
#  - modprobe: every permutation of the three is asked for, one modprobe per
#    module; modprobe loads what a module needs first.  Every modprobe must
#    succeed.
#  - insmod, no dependency resolution: every permutation too.  A module
#    inserted before what it needs must be refused at once (unknown
#    symbols), leave nothing behind, and load when inserted again once its
#    dependencies are in; every other insmod must succeed.
# In both, no load and no unload may take longer than KTIER_LOAD_MS
# (2000 ms: the kernel's resolve_symbol_wait stalls 30 s) and the kernel
# log may not say "gave up waiting" nor report a bug.
. /tier/lib.sh

set_=
for m in mpt mpt_sim mpt_testdev; do
	have "$m" && set_="$set_ $m"
done
have mpt || skip_all "mpt.ko was not built"

orders=$(perms "" $set_ | tr ' ' ,)
plan $((2 * $(echo "$orders" | wc -l)))
# The kernel's own modules ours need, for insmod.
for d in $KTIER_KDEPS; do
	modprobe "$d" || diag "modprobe $d (a dependency) failed"
done

bad=0
times=
fail() {
	bad=1
	diag "$@"
}
load() { # loader, module, expect (0 loads, 1 is refused)
	local st
	case $1 in
	modprobe) timed modprobe "$2"; st=$? ;;
	insmod) timed insmod "$KO/$2.ko"; st=$? ;;
	esac
	times="$times $2:${ms}ms"
	[ "$ms" -le "$LIMIT_MS" ] || fail "$1 $2 took $ms ms (limit $LIMIT_MS)"
	if [ "$3" = 0 ] && [ $st != 0 ]; then
		fail "$1 $2 failed (status $st):"
		diag_file /tmp/cmd.out
	elif [ "$3" = 1 ] && [ $st = 0 ]; then
		fail "$1 $2 loaded before what it needs ($(deps_of "$2"))"
	elif [ "$3" = 1 ] && loaded "$2"; then
		fail "$1 $2 was refused but is in /proc/modules"
	fi
}
finish_order() { # loader, order
	local m
	for m in $set_; do
		live "$m" || fail "$m is not live after the order"
	done
	unload_all || fail "could not unload: $(ours_loaded)"
	[ -z "$unload_slow" ] || fail "slow unload:$unload_slow"
	since_mark "$1-$2" | grep -E "$LOG_BAD" > /tmp/log.bad &&
		{ fail "kernel log:"; diag_file /tmp/log.bad; }
	result $bad "$1 $(echo "$2" | tr , ' ')"
	diag "load:$times; unload:$unload_log"
	bad=0
	times=
}

for o in $orders; do
	unload_all || fail "left loaded before the order: $(ours_loaded)"
	mark "modprobe-$o"
	for m in $(echo "$o" | tr , ' '); do
		load modprobe "$m" 0
	done
	finish_order modprobe "$o"
done

for o in $orders; do
	unload_all || fail "left loaded before the order: $(ours_loaded)"
	mark "insmod-$o"
	for m in $(echo "$o" | tr , ' '); do
		if deps_loaded "$m"; then
			load insmod "$m" 0
		else
			load insmod "$m" 1
		fi
	done
	# The refused ones again, each once what it needs is in.
	for pass in 1 2 3; do
		for m in $(echo "$o" | tr , ' '); do
			loaded "$m" || ! deps_loaded "$m" || load insmod "$m" 0
		done
	done
	finish_order insmod "$o"
done
finish
