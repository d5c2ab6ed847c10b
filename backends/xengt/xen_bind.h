/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Static binding of the Xen backend (see mpt/mpt_dispatch.h).
 *
 * is_valid_gfn must not sleep and Xen has no cheap check a restricted
 * device model may make; map_frames needs XEN_DOMCTL_memory_mapping, which
 * a deprivileged dom0 process may not issue.  Both take the core's
 * defaults (every gfn valid; -EOPNOTSUPP, so the model traps instead).
 */
#ifndef MPT_XEN_BIND_H
#define MPT_XEN_BIND_H

#define mpt_xen_is_valid_gfn mpt_default_is_valid_gfn
#define mpt_xen_map_frames mpt_default_map_frames
#define mpt_xen_unmap_frames mpt_default_unmap_frames

#endif
