#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# A guest attacking its mgpu while a second mgpu must not notice.
. "$(dirname "$0")/lib.sh"
guest_require hostile.elf
guest_tap --device mgpu --device mgpu "$GUESTS/hostile.elf"
