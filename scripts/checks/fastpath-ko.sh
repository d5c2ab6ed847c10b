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
# mpt_mdev.ko (the kvmgt backend) joins the same world when built: its
# KVM page-track notifier, MSI injection, guest-memory access and memslot
# query are roots too, and each must reach what it exists to reach by a
# direct call (track_write -> mpt_page_track_write, inject_msi ->
# eventfd_signal, read/write_gpa -> vfio_dma_rw, is_valid_gfn ->
# kvm_is_visible_gfn).
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
mdev=
if [ -f $KO/mpt_mdev.ko ]; then
	mdev="--object $KO/mpt_mdev.ko --root kvmgt_track_write
		--root kvmgt_inject_msi --root kvmgt_read_gpa --root kvmgt_write_gpa
		--root kvmgt_is_valid_gfn"
fi
# Roots: the userspace check's, plus mpt_is_valid_gfn and mpt_dma_map,
# which kernel device models call per guest page-table entry when they
# shadow guest page tables.
out=$(/usr/bin/python3 scripts/fastpath.py --object $KO/mpt.ko $sim $mdev \
	--negative $O/kernel-negative/src/mpt.ko \
	--root mpt_vdev_bar_access --root mpt_vdev_bar_rw \
	--root mpt_gpa_read --root mpt_gpa_write \
	--root mpt_vdev_raise_irq --root mpt_page_track_write \
	--root mpt_vdev_doorbell --root mpt_is_valid_gfn --root mpt_dma_map \
	--upcall mpt_upcall_trap --upcall mpt_upcall_page_track \
	--upcall mpt_upcall_pvinfo_notify \
	--multi 'mpt_multi_*' --multi-key mpt_dispatch_multi \
	--sink "mpt_log=only errors reach it; it ends in printk or the user's log handler" \
	--sink "mpt_os_invariant_broken=reached only when an internal invariant broke") && st=0 || st=$?
echo "$out" | grep -v '^1\.\.'
n=$(echo "$out" | grep -cE '^(not )?ok ')
# The kvmgt roots must get where they exist to go, by a direct call.
reaches() { # root, symbol it must reach or leave for
	n=$((n + 1))
	if echo "$out" | awk -v r="$1:" '/^(not )?ok / { cur = $0 } /^#   (reached|leaves)/ && index(cur, r) { print }' |
		grep -qE "[ ,]$2(,|\$)"; then
		echo "ok $n - $1 reaches $2 directly"
	else
		echo "not ok $n - $1 reaches $2 directly"
		st=1
	fi
}
if [ -n "$mdev" ]; then
	reaches kvmgt_track_write mpt_page_track_write
	reaches kvmgt_inject_msi eventfd_signal
	reaches kvmgt_inject_msi mpt_vdev_msi_vector
	reaches kvmgt_read_gpa vfio_dma_rw
	reaches kvmgt_write_gpa vfio_dma_rw
	reaches kvmgt_is_valid_gfn kvm_is_visible_gfn
fi
echo "1..$n"
exit $st
