#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The whole kernel log of the run (boot included: the kernel runs with a
# log buffer large enough to keep it) reports no bug, warning, oops or
# stalled module load, and the kernel is not tainted by a warning (W),
# an oops (D), a bad page (B) or a lockup (L).  Our modules taint it as
# out-of-tree (O) and unsigned (E): expected.
. /tier/lib.sh
plan 2
dmesg | grep -E "$LOG_BAD" > /tmp/log.bad
[ ! -s /tmp/log.bad ]
result $? "kernel log has no bug, warning, oops or stalled load"
diag_file /tmp/log.bad
t=$(cat /proc/sys/kernel/tainted)
# B 5, D 7, W 9, L 14
[ $((t & ((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))) = 0 ]
result $? "kernel not tainted by a bug (taint $t)"
finish
