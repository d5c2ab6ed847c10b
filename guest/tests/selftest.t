#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The guest runtime's own tests, on one vCPU, no device.
. "$(dirname "$0")/lib.sh"
guest_require selftest.elf
guest_tap "$GUESTS/selftest.elf"
