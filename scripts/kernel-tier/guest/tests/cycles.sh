#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# KTIER_CYCLES (100) load/unload cycles of the whole set: modprobe mpt_sim
# and mpt_testdev (mpt comes with them), make an instance and destroy it
# when the device model can, unload all.  Afterwards nothing may be left:
# none of our modules in /proc/modules, no instance at any cycle's end
# (mpt_testdev's "live": instances the core has not released) and no
# backend-contract violation the sim saw, the kernel modules ours use at their old reference
# counts, the kernel log clean, the unreclaimable slab and vmalloc use not
# grown (the Debian kernel has no kmemleak: CONFIG_DEBUG_KMEMLEAK is off,
# so a leak shows only as growth, and one under the limits below goes
# unseen).
. /tier/lib.sh

set_=
for m in mpt_sim mpt_testdev; do
	have "$m" && set_="$set_ $m"
done
have mpt || skip_all "mpt.ko was not built"

cycles=${KTIER_CYCLES:-100}
plan 6
unload_all

# The kernel modules ours use, with their reference counts.
kdep_refs() {
	local d
	for d in $KTIER_KDEPS; do
		grep "^$d " /proc/modules | cut -d' ' -f1,3
	done
}
meminfo() {
	grep -E '^(Slab|SUnreclaim|VmallocUsed):' /proc/meminfo | tr -s ' ' |
		tr '\n' ' '
}
kb() { # field of /proc/meminfo, in kB
	sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo
}

# Can this device model make instances, does the core count them?
modprobe mpt_testdev 2> /dev/null
use_inst=0
inst_supported && use_inst=1
count_instances
counter=$INST
unload_all
before_refs=$(kdep_refs)
before_mem=$(meminfo)
before_slab=$(kb SUnreclaim)
before_vmalloc=$(kb VmallocUsed)
mark cycles

i=0
bad=
left=
viol=
clock
t0=$NOW
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	for m in ${set_:-mpt}; do
		modprobe "$m" 2> /tmp/cmd.out || { bad="modprobe $m"; break; }
	done
	[ -n "$bad" ] && break
	if [ $use_inst = 1 ]; then
		inst_set 1 2> /tmp/cmd.out || { bad="make an instance"; break; }
		inst_set 0 2> /tmp/cmd.out || { bad="destroy the instance"; break; }
	fi
	count_instances
	[ "${INST:-0}" = 0 ] || left="$left $i:$INST"
	count_violations
	[ "${VIOL:-0}" = 0 ] || viol="$viol $i:$VIOL"
	unload_all || { bad="unload ($LOADED left)"; break; }
done
clock
t1=$NOW

what="load"
[ $use_inst = 1 ] && what="load, an instance made and destroyed,"
[ -z "$bad" ]
result $? "$cycles cycles of $what unload of mpt$set_"
if [ -n "$bad" ]; then
	diag "cycle $i: $bad failed:"
	diag_file /tmp/cmd.out
else
	diag "$((t1 - t0)) ms, $(((t1 - t0) / cycles)) ms a cycle"
fi

scan_loaded
[ -z "$LOADED" ]
result $? "none of our modules is left in /proc/modules"

if [ -n "$counter" ]; then
	[ -z "$left" ] && [ -z "$viol" ]
	result $? "no instance left and no contract violation at the end of any cycle"
	[ -z "$left" ] || diag "cycle:live instances$left"
	[ -z "$viol" ] || diag "cycle:violations$viol"
else
	skip "no instance left at the end of any cycle" \
		"the core exposes no instance counter"
fi

after_refs=$(kdep_refs)
[ "$before_refs" = "$after_refs" ]
result $? "the kernel modules ours use are back at their reference counts"
if [ -n "$KTIER_KDEPS" ]; then
	diag "before: $(echo $before_refs); after: $(echo $after_refs)"
else
	diag "ours use no module of the kernel"
fi

if since_mark cycles | grep -E "$LOG_BAD" > /tmp/log.bad; then
	result 1 "kernel log clean"
	diag_file /tmp/log.bad
else
	result 0 "kernel log clean"
fi
# Memory: no kmemleak here, so the unreclaimable slab and vmalloc use
# must simply not grow.  The limits are ten times the noise seen; a
# leak of more than 5 kB a cycle (an instance's state, a guest's RAM)
# exceeds them, a smaller one goes unseen.
slab=$(($(kb SUnreclaim) - before_slab))
vmalloc=$(($(kb VmallocUsed) - before_vmalloc))
d="memory did not grow: unreclaimable slab ${slab} kB (limit 512),"
[ $slab -le 512 ] && [ $vmalloc -le 1024 ]
result $? "$d vmalloc ${vmalloc} kB (limit 1024)"
diag "before: $before_mem"
diag "after:  $(meminfo)"
diag "no kmemleak in this kernel (CONFIG_DEBUG_KMEMLEAK is off): small leaks show only as growth"
finish
