#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Design rule 2: no indirect call on the fast path.  Builds a single-backend
# library (direct dispatch) and a table-dispatch one, and disassembles the
# fast-path functions of both: the first must have no indirect call except
# the two upcalls into device-model handlers, the second must be flagged
# (so this check is known to be able to fail).
set -e
cd "$(dirname "$0")/../.."
O=${O:-build}/fastpath
make -s BACKENDS=sim O=$O/direct DISPATCH=direct all >&2
make -s BACKENDS=sim O=$O/table DISPATCH=table all >&2
# mpt_log is a sink: only errors reach it, and its sink call is the
# user's log handler, which is allowed to be slow.
exec /usr/bin/python3 scripts/fastpath.py --object $O/direct/libmpt.so \
	--negative $O/table/libmpt.so \
	--root mpt_vdev_bar_access --root mpt_vdev_bar_rw \
	--root mpt_gpa_read --root mpt_gpa_write \
	--root mpt_vdev_raise_irq --root mpt_page_track_write \
	--root mpt_vdev_doorbell \
	--upcall mpt_upcall_trap --upcall mpt_upcall_page_track \
	--upcall mpt_upcall_pvinfo_notify \
	--sink mpt_log
