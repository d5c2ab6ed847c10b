#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Unloading under live instances.  Each instance of the test device model
# on the sim backend holds one reference on its device type's module
# (mpt_testdev) and one on its backend's (mpt_sim): the reference counts
# must rise by exactly the number of instances, rmmod of mpt_testdev, of
# mpt_sim and of mpt must be refused at once while they live (mpt_testdev
# is used by no other module: only the instances can keep it), and once
# they are destroyed the counts must be back, the device model's "live"
# counter at 0 (the core released every instance), the sim's contract
# violations at 0, and all three must unload.  Done with two instances made
# after loading, and with one made at load time (instances=1).
. /tier/lib.sh

have mpt_sim || skip_all "mpt_sim.ko was not built"
have mpt_testdev || skip_all "mpt_testdev.ko was not built"
unload_all
modprobe mpt_sim && modprobe mpt_testdev ||
	{ echo "# loading mpt_sim and mpt_testdev failed"; exit 1; }
inst_supported || skip_all "mpt_testdev has no way to make instances here"
# The counts without instances: mpt_sim is used by mpt_testdev.
base_sim=$(refcnt mpt_sim)
base_td=$(refcnt mpt_testdev)
unload_all
plan 14

refused() { # module
	local st
	timed rmmod "$1"
	st=$?
	if [ $st = 0 ]; then
		result 1 "rmmod $1 is refused while instances live"
		diag "it unloaded under live instances"
		return
	fi
	live "$1" && [ "$ms" -le "$LIMIT_MS" ]
	result $? "rmmod $1 is refused while instances live"
	diag "status $st in $ms ms: $(head -n 1 /tmp/cmd.out)"
}
refs() {
	echo "refcnt mpt_sim $(refcnt mpt_sim)," \
		"mpt_testdev $(refcnt mpt_testdev), mpt $(refcnt mpt)"
}
round() { # how: after (two instances) or at-load (one)
	local k st what
	mark "busy-$1"
	if [ "$1" = after ]; then
		k=2
		what="2 instances made after loading"
		modprobe mpt_testdev && inst_set 2
	else
		k=1
		what="1 instance made at load ($INST_LOAD_PARAM)"
		modprobe mpt_testdev $INST_LOAD_PARAM
	fi
	st=$?
	count_instances
	[ $st = 0 ] && [ "$INST" = $k ] &&
		[ "$(refcnt mpt_sim)" = $((base_sim + k)) ] &&
		[ "$(refcnt mpt_testdev)" = $((base_td + k)) ]
	result $? "$what: live $INST, each holds mpt_sim and mpt_testdev"
	diag "$(refs); without instances mpt_sim $base_sim, mpt_testdev $base_td"
	refused mpt_testdev
	refused mpt_sim
	refused mpt
	inst_set 0
	count_instances
	count_violations
	[ "$INST" = 0 ] && [ "$VIOL" = 0 ] &&
		[ "$(refcnt mpt_sim)" = "$base_sim" ] &&
		[ "$(refcnt mpt_testdev)" = "$base_td" ]
	result $? "destroyed: live 0, references back, no contract violation"
	diag "live $INST, violations $VIOL, $(refs)"
	unload_all
	result $? "then mpt_testdev, mpt_sim and mpt unload"
	diag "unload:$unload_log"
	if since_mark "busy-$1" | grep -E "$LOG_BAD" > /tmp/log.bad; then
		result 1 "kernel log clean"
		diag_file /tmp/log.bad
	else
		result 0 "kernel log clean"
	fi
}
round after
round at-load
finish
