#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# What a guest access costs through mpt-xen (tests/xen/xbench.c times its
# own accesses in TSC cycles): an MMIO round trip through the ioreq
# server against a port Xen answers itself, a tracked store against a
# plain MMIO write.  The JSON line goes to the host (run.sh saves it as
# bench.json); the checks only say the paths trap where they must.  The
# guest also checks rep string I/O (requests with data in guest memory).
. /tier/lib.sh
. /tier/xen.sh
xen_pin
plan 5
xen_have mpt-xen xbench.elf
xen_guest xbench 1 '"mgpu"'
xen_create xbench --stats-file /tmp/xbench.json
diag "stats: $(cat /tmp/xbench.json 2> /dev/null)"
result $? "mpt-xen create ran xbench (status $status, 0 expected)"
xen_guest_tap
result $? "xbench's checks (tracked stores, rep insb/movsl through data_is_ptr requests): $gpass passed, $gfail failed"
grep -q '^xbench: rep outsb reached COM1$' /tmp/xbench.out
result $? "rep outsb to COM1 arrived whole (one data_is_ptr request)"
line=$(grep '^xbench: iterations=' /tmp/xbench.out)
diag "$line"
json=$(echo "$line" | awk '{
	for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	r1 = v["unhandled_pio"] ? v["mmio_read"] / v["unhandled_pio"] : 0
	r2 = v["unhandled_pio"] ? v["model_pio"] / v["unhandled_pio"] : 0
	r3 = v["mmio_write"] ? v["tracked_write"] / v["mmio_write"] : 0
	printf "{\"backend\": \"xen\", \"iterations\": %d, \"cycles\": {", v["iterations"]
	printf "\"unhandled_pio\": %d, \"model_pio\": %d, \"mmio_read\": %d, ", v["unhandled_pio"], v["model_pio"], v["mmio_read"]
	printf "\"mmio_write\": %d, \"plain_write\": %d, \"tracked_write\": %d}, ", v["mmio_write"], v["plain_write"], v["tracked_write"]
	printf "\"ratios\": {\"mmio_read_vs_unhandled_pio\": %.2f, \"model_pio_vs_unhandled_pio\": %.2f, \"tracked_write_vs_mmio_write\": %.2f}}", r1, r2, r3
	ok = (r1 > 1 && r3 > 0.2) ? 0 : 1
	exit ok
}')
st=$?
echo "# xbench-json: $json"
[ -n "$line" ]
result $? "xbench reported its cycles"
[ $st = 0 ]
result $? "an MMIO round trip through the ioreq server costs more than a port Xen answers itself; a tracked store is of the order of an MMIO write"
finish
