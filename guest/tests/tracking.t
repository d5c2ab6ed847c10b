#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# One vCPU runs while the other makes the host write-track pages: the
# memslot split leaves RAM unmapped for a moment, and vCPU 1 dies (triple
# fault or KVM emulation failure) unless mptrun pauses it meanwhile.
. "$(dirname "$0")/lib.sh"
guest_require tracking.elf
guest_tap --vcpus 2 --device mgpu "$GUESTS/tracking.elf"
