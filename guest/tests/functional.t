#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The mgpu as a driver sees it, one vCPU, doorbells as mptrun delivers
# them by default (without exits).
. "$(dirname "$0")/lib.sh"
guest_require functional.elf
guest_tap --device mgpu "$GUESTS/functional.elf"
