#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# The Xen tier: Xen 4.17 under QEMU (TCG) with Debian's kernel as dom0;
# dom0's tests as TAP.  Installs what it needs.
# See scripts/xen-tier/run.sh and Documentation/xen.rst.
cd "$(dirname "$0")/../.." || exit 1
exec scripts/xen-tier/run.sh
