#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The functional tests with both vCPUs submitting, and doorbells trapped
# (one exit each) instead of delivered without exits.
. "$(dirname "$0")/lib.sh"
guest_require functional.elf
guest_tap --vcpus 2 --doorbell-ioeventfd off --device mgpu \
	"$GUESTS/functional.elf"
