#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# A CPU exception in the guest: the runtime reports it on the serial port
# and exits with RT_EXIT_EXCEPTION(vector), 0x40 + 6 for #UD.
. "$(dirname "$0")/lib.sh"
guest_require crash.elf
guest_run "$GUESTS/crash.elf"
echo "1..3"
[ $status = 70 ] && echo "ok 1 - #UD ends the run with status 70" ||
	echo "not ok 1 - #UD ends the run with status 70 (got $status)"
grep -q "exception 6 #UD" "$TMP/out" &&
	echo "ok 2 - the report names the exception" ||
	echo "not ok 2 - the report names the exception"
grep -q "still alive" "$TMP/out" &&
	echo "not ok 3 - nothing runs after the fault" ||
	echo "ok 3 - nothing runs after the fault"
sed 's/^/# /' "$TMP/out"
