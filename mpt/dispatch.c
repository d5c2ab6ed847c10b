// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * static_call dispatch (the kernel module; empty in the userspace builds).
 *
 * Each op has a static call, mpt_sc_<op>.  The first backend to register
 * points them at its resolved ops, so mpt_bk_call() is a direct call
 * patched into the call site.  A second backend turns the static key
 * mpt_dispatch_multi on: calls then go through the instance's own resolved
 * table, in the out-of-line mpt_multi_<op>() helpers below.  When only one
 * backend is left the static calls are pointed at it and the key goes off
 * again; when none is left they are back at their defaults.
 *
 * Why this is safe while guest accesses run:
 *
 * - static_call_update() and static_branch_*() patch text with
 *   text_poke_bp(), which a concurrently executing CPU tolerates; both
 *   sleep, so they run only here, under the registry lock, at
 *   registration and unregistration.
 * - A static call is only updated while nobody can take it to a backend
 *   other than the new target: while no instance exists (first
 *   registration, the backend not yet visible), or while the key is on
 *   (every instance calls through its own table).  Turning the key on or
 *   off happens only while the static calls and every instance's table
 *   agree: one backend, and the calls pointing at it.
 * - Unregistration is refused while the backend has instances, and each
 *   instance holds a reference on the backend's module, so by the time a
 *   module exit unregisters, no call into it is in flight.  Before
 *   mpt_backend_unregister() returns, no static call points into the
 *   backend any more (nothing resets a static call whose target lives in
 *   an unloading module), so the module's text may go.
 */
#include "mpt_core.h"

#ifdef MPT_DISPATCH_STATIC_CALL

#define MPT_DEFINE_SC_NULL(op) \
	DEFINE_STATIC_CALL_NULL(mpt_sc_##op, MPT_OP_TYPE(op));
#define MPT_DEFINE_SC_DEFAULT(op) \
	DEFINE_STATIC_CALL(mpt_sc_##op, mpt_default_##op);
MPT_OPS_MANDATORY(MPT_DEFINE_SC_NULL)
MPT_OPS_OPTIONAL(MPT_DEFINE_SC_DEFAULT)

DEFINE_STATIC_KEY_FALSE(mpt_dispatch_multi);

/* The backend whose ops the static calls hold; NULL: the defaults.  */
static const struct mpt_backend *sc_target;

static void point_static_calls(const struct mpt_backend *b)
{
	if (sc_target == b)
		return;
	if (b) {
#define SC_TO_BACKEND(op) static_call_update(mpt_sc_##op, b->ops.op);
		MPT_OPS_MANDATORY(SC_TO_BACKEND)
		MPT_OPS_OPTIONAL(SC_TO_BACKEND)
#undef SC_TO_BACKEND
	} else {
#define SC_TO_NULL(op) \
	static_call_update(mpt_sc_##op, (MPT_OP_TYPE(op) *)NULL);
#define SC_TO_DEFAULT(op) \
	static_call_update(mpt_sc_##op, mpt_default_##op);
		MPT_OPS_MANDATORY(SC_TO_NULL)
		MPT_OPS_OPTIONAL(SC_TO_DEFAULT)
#undef SC_TO_NULL
#undef SC_TO_DEFAULT
	}
	sc_target = b;
}

void mpt_dispatch_backend_added(const struct mpt_backend *b,
				const struct mpt_backend *others)
{
	if (!others) {
		/* The only backend, not visible yet: no call can be running. */
		point_static_calls(b);
		return;
	}
	/*
	 * The static calls point at the backend already registered, whose
	 * instances' tables hold the same functions: switching them to
	 * their tables changes nothing for them, and @b's instances, which
	 * exist only after this, start with the key on.
	 */
	if (!static_key_enabled(&mpt_dispatch_multi)) {
		static_branch_enable(&mpt_dispatch_multi);
		mpt_info("several backends: dispatching per instance");
	}
}

void mpt_dispatch_backend_removed(const struct mpt_backend *b,
				  const struct mpt_backend *rest)
{
	if (rest && !rest->next) {
		/*
		 * One backend left.  The key is on, so the static calls are
		 * unused: point them at it, then let its instances use them.
		 */
		point_static_calls(rest);
		if (static_key_enabled(&mpt_dispatch_multi)) {
			static_branch_disable(&mpt_dispatch_multi);
			mpt_info("one backend: dispatching by static call");
		}
	} else if (sc_target == b) {
		/*
		 * None left (the calls pointed at @b and @b had no instance),
		 * or several (the key is on): either way nobody takes the
		 * static calls, and they must not point into @b's module.
		 */
		point_static_calls(NULL);
	}
}

/*
 * The multi-backend path: the instance's resolved table, one indirect
 * call (a retpoline in a mitigated kernel) per op.
 */
noinline int mpt_multi_attach(const struct mpt_backend_ops *ops,
			      struct mpt_backend *backend, void *guest,
			      struct mpt_vdev *vdev, void **handle)
{
	return ops->attach(backend, guest, vdev, handle);
}

noinline void mpt_multi_detach(const struct mpt_backend_ops *ops, void *handle)
{
	ops->detach(handle);
}

noinline int mpt_multi_inject_msi(const struct mpt_backend_ops *ops,
				  void *handle, u64 addr, u32 data)
{
	return ops->inject_msi(handle, addr, data);
}

noinline int mpt_multi_read_gpa(const struct mpt_backend_ops *ops,
				void *handle, u64 gpa, void *buf, size_t len)
{
	return ops->read_gpa(handle, gpa, buf, len);
}

noinline int mpt_multi_write_gpa(const struct mpt_backend_ops *ops,
				 void *handle, u64 gpa, const void *buf,
				 size_t len)
{
	return ops->write_gpa(handle, gpa, buf, len);
}

noinline int mpt_multi_enable_page_track(const struct mpt_backend_ops *ops,
					 void *handle, u64 gfn)
{
	return ops->enable_page_track(handle, gfn);
}

noinline int mpt_multi_disable_page_track(const struct mpt_backend_ops *ops,
					  void *handle, u64 gfn)
{
	return ops->disable_page_track(handle, gfn);
}

noinline int mpt_multi_gfn_to_pfn(const struct mpt_backend_ops *ops,
				  void *handle, u64 gfn, u64 *pfn)
{
	return ops->gfn_to_pfn(handle, gfn, pfn);
}

noinline int mpt_multi_dma_map(const struct mpt_backend_ops *ops, void *handle,
			       u64 gfn, u64 size, u64 *dma_addr)
{
	return ops->dma_map(handle, gfn, size, dma_addr);
}

noinline void mpt_multi_dma_unmap(const struct mpt_backend_ops *ops,
				  void *handle, u64 gfn, u64 size,
				  u64 dma_addr)
{
	ops->dma_unmap(handle, gfn, size, dma_addr);
}

noinline bool mpt_multi_is_valid_gfn(const struct mpt_backend_ops *ops,
				     void *handle, u64 gfn)
{
	return ops->is_valid_gfn(handle, gfn);
}

noinline int mpt_multi_claim_trap_area(const struct mpt_backend_ops *ops,
				       void *handle,
				       const struct mpt_trap_area *area)
{
	return ops->claim_trap_area(handle, area);
}

noinline void mpt_multi_release_trap_area(const struct mpt_backend_ops *ops,
					  void *handle,
					  const struct mpt_trap_area *area)
{
	ops->release_trap_area(handle, area);
}

noinline int mpt_multi_map_frames(const struct mpt_backend_ops *ops,
				  void *handle, u64 gfn, u64 pfn, u64 nr)
{
	return ops->map_frames(handle, gfn, pfn, nr);
}

noinline void mpt_multi_unmap_frames(const struct mpt_backend_ops *ops,
				     void *handle, u64 gfn, u64 nr)
{
	ops->unmap_frames(handle, gfn, nr);
}

#endif /* MPT_DISPATCH_STATIC_CALL */
