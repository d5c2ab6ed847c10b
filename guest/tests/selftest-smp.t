#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The guest runtime's own tests on two vCPUs: spinlock, barrier, IPI kick.
. "$(dirname "$0")/lib.sh"
guest_require selftest.elf
guest_tap --vcpus 2 "$GUESTS/selftest.elf"
