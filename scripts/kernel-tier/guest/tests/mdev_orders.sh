#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Every load and unload order of the mdev path's modules {mpt, mgpu,
# mpt_mdev}: the core, a device model and the backend with its mdev parent.
#
# Loads: every permutation by insmod (no dependency resolution; the
# kernel's modules they need, VFIO, mdev and KVM, are in first).  A module inserted before
# one it needs must be refused at once and load when inserted again later.
# mpt_mdev loaded before mgpu must still offer the type mpt_mdev-mgpu: with
# no instance available until mgpu is in, then mgpu's four.  After each
# order an mdev of type mgpu is created through sysfs.
# Unloads, with the mdev still there: rmmod of mgpu and of mpt_mdev is
# refused (the instance holds both) and changes nothing; after removing the
# mdev, the modules unload in the reverse of the load order, each as soon
# as nothing holds it.  No load or unload may take longer than KTIER_LOAD_MS
# and the kernel log may not say "gave up waiting" nor report a bug.
. /tier/lib.sh

have mpt_mdev || skip_all "mpt_mdev.ko was not built (no VFIO/mdev headers)"
have mgpu || skip_all "mgpu.ko was not built"
set_="mpt mgpu mpt_mdev"
PARENT=/sys/class/mdev_bus/mpt_mdev
TYPE=$PARENT/mdev_supported_types/mpt_mdev-mgpu
UUID=7d1e5a3c-2b4f-4a6d-8e9f-0a1b2c3d4e5f

orders=$(perms "" $set_ | tr ' ' ,)
plan $((2 * $(echo "$orders" | wc -l)))
unload_all
# The kernel's modules ours need (VFIO, mdev, KVM), for insmod.
for d in $KTIER_KDEPS; do
	modprobe "$d" || diag "modprobe $d (a dependency) failed"
done

bad=0
fail() {
	bad=1
	diag "$@"
}
check_type() { # expected available_instances
	local a
	[ -d "$TYPE" ] || { fail "no $TYPE"; return; }
	read -r a < "$TYPE/available_instances"
	[ "$a" = "$1" ] || fail "available_instances $a, expected $1 ($(cat "$TYPE/description"))"
}
# insmod one module; refused while a dependency is missing.
insert() { # module
	local st
	timed insmod "$KO/$1.ko"
	st=$?
	[ "$ms" -le "$LIMIT_MS" ] || fail "insmod $1 took $ms ms"
	if deps_loaded "$1"; then
		[ $st = 0 ] || { fail "insmod $1 failed:"; diag_file /tmp/cmd.out; }
	else
		[ $st != 0 ] && ! loaded "$1" ||
			fail "insmod $1 loaded before $(deps_of "$1")"
	fi
}
load_order() { # m1 m2 m3
	local m pending
	pending=
	for m in "$@"; do
		insert "$m"
		loaded "$m" || pending="$pending $m"
		# What was refused goes in again once its dependencies are.
		for p in $pending; do
			if ! loaded "$p" && deps_loaded "$p"; then
				insert "$p"
			fi
		done
		if loaded mpt_mdev; then
			if loaded mgpu; then check_type 4; else check_type 0; fi
		fi
	done
	for m in $set_; do
		loaded "$m" || fail "$m not loaded after the order"
	done
}
unload_order() { # m1 m2 m3 (the load order)
	local m left
	echo "$UUID" > "$TYPE/create" || { fail "create an mgpu mdev failed"; return; }
	check_type 3
	for m in mgpu mpt_mdev; do
		rmmod "$m" 2> /dev/null && fail "rmmod $m succeeded with an mdev"
		loaded "$m" || fail "$m gone with an mdev"
	done
	[ -e "/sys/bus/mdev/devices/$UUID" ] || fail "the mdev vanished"
	echo 1 > "/sys/bus/mdev/devices/$UUID/remove" || fail "remove failed"
	left="$3 $2 $1"
	for pass in 1 2 3; do
		for m in $left; do
			loaded "$m" || continue
			has_holders "$m" && continue
			timed rmmod "$m" || { fail "rmmod $m:"; diag_file /tmp/cmd.out; }
			[ "$ms" -le "$LIMIT_MS" ] || fail "rmmod $m took $ms ms"
		done
	done
	for m in $set_; do
		loaded "$m" && fail "$m still loaded"
	done
}

for o in $orders; do
	set -- $(echo "$o" | tr , ' ')
	bad=0
	mark "mdev-$o"
	load_order "$@"
	result $bad "insmod order $o: every module loads, mpt_mdev-mgpu offered"
	bad=0
	unload_order "$@"
	since_mark "mdev-$o" | grep -E "$LOG_BAD" > /tmp/log.bad &&
		{ fail "kernel log:"; diag_file /tmp/log.bad; }
	result $bad "with an mdev rmmod is refused; then unload in reverse of $o"
	unload_all > /dev/null
done
finish
