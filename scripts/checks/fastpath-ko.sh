#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Design rule 2 on the kernel module: no indirect call on the fast path of
# mpt.ko, whose backend calls are static calls.  Builds the modules (make
# modules) and a negative control (make modules-negative: mpt.ko with
# per-instance table dispatch), and disassembles both with their
# relocations.  In mpt.ko the fast-path functions may contain only direct
# calls: static-call sites (__SCT__mpt_sc_<op>, followed into the sim
# backend's mpt_sim_<op> in mpt_sim.ko, which the static calls point at
# once it registered) and, behind a jump label on mpt_dispatch_multi, the
# out-of-line multi-backend helpers mpt_multi_<op>, each of which must
# hold exactly one indirect call.  The negative control must be flagged
# (a retpoline thunk call), so the check is known to fail on a .ko.
# SKIP only when no kernel headers can be installed.
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}
. scripts/checks/kheaders.inc
need_kernel_headers python3
if ! make -s O="$O" modules >&2 || ! make -s O="$O" modules-negative >&2; then
	echo "not ok 1 - kernel modules build warning-free (W=1)"
	echo "1..1"
	exit 1
fi
KO=$O/kernel/src
sim=
[ -f $KO/mpt_sim.ko ] && sim="--object $KO/mpt_sim.ko --static-call mpt_sc_=mpt_sim_"
# Roots: the userspace check's, plus mpt_is_valid_gfn and mpt_dma_map,
# which kernel device models call per guest page-table entry when they
# shadow guest page tables.
exec /usr/bin/python3 scripts/fastpath.py --object $KO/mpt.ko $sim \
	--negative $O/kernel-negative/src/mpt.ko \
	--root mpt_vdev_bar_access --root mpt_vdev_bar_rw \
	--root mpt_gpa_read --root mpt_gpa_write \
	--root mpt_vdev_raise_irq --root mpt_page_track_write \
	--root mpt_vdev_doorbell --root mpt_is_valid_gfn --root mpt_dma_map \
	--upcall mpt_upcall_trap --upcall mpt_upcall_page_track \
	--upcall mpt_upcall_pvinfo_notify \
	--multi 'mpt_multi_*' --multi-key mpt_dispatch_multi \
	--sink "mpt_log=only errors reach it; it ends in printk or the user's log handler" \
	--sink "mpt_os_invariant_broken=reached only when an internal invariant broke"
