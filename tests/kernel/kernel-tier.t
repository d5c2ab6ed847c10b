#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The kernel tier: mpt's modules in Debian's kernel under QEMU (TCG): load
# orders, unloading under live instances, 100 load/unload cycles, the
# in-kernel tests of mpt_test.ko, a clean kernel log.  Installs what it
# needs; skips only when QEMU or a kernel cannot be installed at all.
# See scripts/kernel-tier/run.sh and Documentation/kernel-tier.rst.
cd "$(dirname "$0")/../.." || exit 1
exec scripts/kernel-tier/run.sh
