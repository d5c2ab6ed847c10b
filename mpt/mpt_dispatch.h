/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * How the core calls its backend: the one place that decides.
 *
 * The core writes mpt_bk_call(inst, op, args...) (@op with the instance's
 * backend handle first) and mpt_bk_attach(), and nothing else:
 *
 * - MPT_DISPATCH_DIRECT (a build with one backend): the backend's function
 *   itself, mpt_<backend>_<op>, so every call is a direct call that the
 *   compiler may even inline across a link-time-optimised build.
 *   mpt_backend_register() checks that the registered table holds exactly
 *   these functions, so the table and the direct calls cannot disagree.
 * - MPT_DISPATCH_STATIC_CALL (the kernel module): one static_call per op,
 *   pointed at the backend's function when the first backend registers; a
 *   direct call patched into the call site.  While several backends are
 *   registered a static key sends calls to the instance's own table
 *   instead, through out-of-line helpers (mpt/dispatch.c).
 * - otherwise: the function in the instance's resolved ops table, one
 *   indirect call.
 */
#ifndef MPT_DISPATCH_H
#define MPT_DISPATCH_H

#include <mpt/backend.h>
#include "mpt_ops_list.h"

/* The core's defaults for absent optional ops (mpt/defaults.c). */
#define MPT_DECLARE_DEFAULT(op) \
	extern __typeof__(*((struct mpt_backend_ops *)0)->op) mpt_default_##op;
MPT_OPS_OPTIONAL(MPT_DECLARE_DEFAULT)

/* The type of op @op, a function type. */
#define MPT_OP_TYPE(op) __typeof__(*((struct mpt_backend_ops *)0)->op)

struct mpt_backend;

#ifdef MPT_DISPATCH_DIRECT
#ifndef MPT_STATIC_BACKEND
#error "MPT_DISPATCH_DIRECT needs MPT_STATIC_BACKEND (the backend's name)"
#endif
#define __MPT_BOUND(backend, op) mpt_##backend##_##op
#define _MPT_BOUND(backend, op) __MPT_BOUND(backend, op)
#define MPT_BOUND(op) _MPT_BOUND(MPT_STATIC_BACKEND, op)

/*
 * The backend's bind header may map optional ops it lacks to the defaults,
 * e.g. "#define mpt_kvm_map_frames mpt_default_map_frames".
 */
#ifdef MPT_STATIC_BACKEND_BIND
#include MPT_STATIC_BACKEND_BIND
#endif

#define MPT_DECLARE_BOUND(op) extern MPT_OP_TYPE(op) MPT_BOUND(op);
MPT_OPS_MANDATORY(MPT_DECLARE_BOUND)
MPT_OPS_OPTIONAL(MPT_DECLARE_BOUND)

#define mpt_bk(inst, op) MPT_BOUND(op)
#define __mpt_bk_call(inst, op, ...) MPT_BOUND(op)(__VA_ARGS__)

#elif defined(MPT_DISPATCH_STATIC_CALL)
#include <linux/jump_label.h>
#include <linux/static_call.h>

/*
 * One static call per op, mpt_sc_<op> (trampoline __SCT__mpt_sc_<op>):
 * NULL for the mandatory ops and mpt_default_<op> for the optional ones
 * until a backend registers, then that backend's resolved op.  Only
 * registration and unregistration update them (mpt/dispatch.c).
 */
#define MPT_DECLARE_SC(op) DECLARE_STATIC_CALL(mpt_sc_##op, MPT_OP_TYPE(op));
MPT_OPS_MANDATORY(MPT_DECLARE_SC)
MPT_OPS_OPTIONAL(MPT_DECLARE_SC)

/* On while more than one backend is registered. */
DECLARE_STATIC_KEY_FALSE(mpt_dispatch_multi);

/*
 * The per-instance dispatch of the multi-backend case: each calls @op of
 * @ops (the instance's resolved table) with the op's own arguments.  Out
 * of line and noinline, so that the fast-path functions hold only direct
 * calls (the static-call sites) and a jump-label branch to these; the
 * fast-path check (scripts/checks/fastpath-ko.sh) finds them by name.
 */
int mpt_multi_attach(const struct mpt_backend_ops *ops,
		     struct mpt_backend *backend, void *guest,
		     struct mpt_vdev *vdev, void **handle);
void mpt_multi_detach(const struct mpt_backend_ops *ops, void *handle);
int mpt_multi_inject_msi(const struct mpt_backend_ops *ops, void *handle,
			 u64 addr, u32 data);
int mpt_multi_read_gpa(const struct mpt_backend_ops *ops, void *handle,
		       u64 gpa, void *buf, size_t len);
int mpt_multi_write_gpa(const struct mpt_backend_ops *ops, void *handle,
			u64 gpa, const void *buf, size_t len);
int mpt_multi_enable_page_track(const struct mpt_backend_ops *ops,
				void *handle, u64 gfn);
int mpt_multi_disable_page_track(const struct mpt_backend_ops *ops,
				 void *handle, u64 gfn);
int mpt_multi_gfn_to_pfn(const struct mpt_backend_ops *ops, void *handle,
			 u64 gfn, u64 *pfn);
int mpt_multi_dma_map(const struct mpt_backend_ops *ops, void *handle,
		      u64 gfn, u64 size, u64 *dma_addr);
void mpt_multi_dma_unmap(const struct mpt_backend_ops *ops, void *handle,
			 u64 gfn, u64 size, u64 dma_addr);
bool mpt_multi_is_valid_gfn(const struct mpt_backend_ops *ops, void *handle,
			    u64 gfn);
int mpt_multi_claim_trap_area(const struct mpt_backend_ops *ops, void *handle,
			      const struct mpt_trap_area *area);
void mpt_multi_release_trap_area(const struct mpt_backend_ops *ops,
				 void *handle,
				 const struct mpt_trap_area *area);
int mpt_multi_map_frames(const struct mpt_backend_ops *ops, void *handle,
			 u64 gfn, u64 pfn, u64 nr);
void mpt_multi_unmap_frames(const struct mpt_backend_ops *ops, void *handle,
			    u64 gfn, u64 nr);

#define __mpt_bk_call(inst, op, ...)                                \
	(static_branch_unlikely(&mpt_dispatch_multi) ?               \
		 mpt_multi_##op((inst)->ops, __VA_ARGS__) :          \
		 static_call(mpt_sc_##op)(__VA_ARGS__))

/*
 * Registry hooks (mpt/registry.c, under its lock): @b was linked into the
 * list of registered backends, @others being the ones registered before;
 * @b was unlinked, @rest being the ones still registered.
 */
void mpt_dispatch_backend_added(const struct mpt_backend *b,
				const struct mpt_backend *others);
void mpt_dispatch_backend_removed(const struct mpt_backend *b,
				  const struct mpt_backend *rest);
#define MPT_DISPATCH_HAS_HOOKS 1

#else
#define mpt_bk(inst, op) ((inst)->ops->op)
#define __mpt_bk_call(inst, op, ...) ((inst)->ops->op(__VA_ARGS__))
#endif

#ifndef MPT_DISPATCH_HAS_HOOKS
/* Only the static-call mode has anything to update at registration. */
static inline void mpt_dispatch_backend_added(const struct mpt_backend *b,
					      const struct mpt_backend *others)
{
	(void)b;
	(void)others;
}

static inline void mpt_dispatch_backend_removed(const struct mpt_backend *b,
						const struct mpt_backend *rest)
{
	(void)b;
	(void)rest;
}
#endif

/* Call @op of @inst's backend with the instance's handle first. */
#define mpt_bk_call(inst, op, ...) \
	__mpt_bk_call(inst, op, (inst)->handle, ##__VA_ARGS__)

/* Call the attach op of @inst's backend (it takes the backend, no handle). */
#define mpt_bk_attach(inst, guest, vdev, handlep) \
	__mpt_bk_call(inst, attach, (inst)->backend, guest, vdev, handlep)

#endif /* MPT_DISPATCH_H */
