// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Instance lifecycle: creation, attach, activation, reset, detach,
 * destruction and the reference count behind them.
 *
 * Transitions are serialised by the instance lock, except reset, which may
 * be requested by the guest from inside a trap handler and so only swaps the
 * state atomically (ACTIVE -> RESETTING -> ACTIVE).  Guest accesses enter
 * through mpt_inst_enter(); deactivation flips the state first and then
 * waits for the accesses already inside to leave.
 */
#include "mpt_core.h"

static size_t instance_size(const struct mpt_vdev_type *type)
{
	return __builtin_offsetof(struct mpt_instance, vdev) +
	       type->instance_size;
}

/* Undo everything creation set up; the instance is not attached. */
static void free_instance(struct mpt_instance *inst)
{
	mpt_pvinfo_destroy(inst);
	mpt_frames_destroy(inst);
	mpt_dma_destroy(inst);
	mpt_tracks_destroy(inst);
	mpt_traps_destroy(inst);
	mpt_irq_destroy(inst);
	mpt_cfg_destroy(inst);
	mpt_mutex_destroy(&inst->lock);
	mpt_backend_put(inst->backend);
	mpt_type_put(inst->type_entry);
	mpt_free(inst);
}

static int setup_instance(struct mpt_instance *inst)
{
	const struct mpt_vdev_type *type = inst->vdev.type;
	int ret;

	mpt_mutex_init(&inst->lock);
	mpt_atomic_set(&inst->refs, 1);
	mpt_atomic_set(&inst->state, MPT_VDEV_CREATED);
	mpt_tracks_init(inst);
	mpt_dma_init(inst);
	mpt_frames_init(inst);
	ret = mpt_cfg_init(inst, type->pci);
	if (!ret)
		ret = mpt_irq_init(inst, type->pci);
	if (!ret)
		ret = mpt_irq_register_msix_traps(inst);
	return ret;
}

int mpt_vdev_create(const char *type_name, const char *backend_name,
		    struct mpt_vdev **out)
{
	struct mpt_type_entry *te;
	struct mpt_backend *b;
	struct mpt_instance *inst;
	int ret;

	ret = mpt_type_get(type_name, &te);
	if (ret)
		return ret;
	ret = mpt_backend_get(backend_name, &b);
	if (ret)
		goto err_put_type;
	inst = mpt_zalloc(instance_size(te->type));
	if (!inst) {
		ret = -ENOMEM;
		goto err_put_backend;
	}
	inst->type_entry = te;
	inst->backend = b;
	inst->ops = &b->ops;
	inst->vdev.type = te->type;
	inst->vdev.id = mpt_type_next_instance_id();
	ret = setup_instance(inst);
	if (!ret)
		ret = te->type->ops->init(&inst->vdev);
	if (ret) {
		mpt_err("%s: creating an instance failed: %d", type_name, ret);
		free_instance(inst);
		return ret;
	}
	*out = &inst->vdev;
	return 0;
err_put_backend:
	mpt_backend_put(b);
err_put_type:
	mpt_type_put(te);
	return ret;
}
MPT_EXPORT(mpt_vdev_create);

int mpt_vdev_attach(struct mpt_vdev *vdev, void *guest)
{
	struct mpt_instance *inst = to_inst(vdev);
	enum mpt_vdev_state s;
	void *handle = NULL;
	int ret = -EBUSY;

	mpt_mutex_lock(&inst->lock);
	s = inst_state(inst);
	if (s == MPT_VDEV_CREATED || s == MPT_VDEV_DETACHED) {
		ret = mpt_bk_attach(inst, guest, vdev, &handle);
		if (!ret) {
			inst->handle = handle;
			mpt_atomic_set(&inst->state, MPT_VDEV_ATTACHED);
		}
	}
	mpt_mutex_unlock(&inst->lock);
	return ret;
}
MPT_EXPORT(mpt_vdev_attach);

int mpt_vdev_activate(struct mpt_vdev *vdev)
{
	struct mpt_instance *inst = to_inst(vdev);
	const struct mpt_vdev_ops *ops = vdev->type->ops;
	int ret = -EBUSY;

	mpt_mutex_lock(&inst->lock);
	if (inst_state(inst) == MPT_VDEV_ATTACHED) {
		ret = ops->activate ? ops->activate(vdev) : 0;
		if (!ret)
			mpt_atomic_set(&inst->state, MPT_VDEV_ACTIVE);
	}
	mpt_mutex_unlock(&inst->lock);
	return ret;
}
MPT_EXPORT(mpt_vdev_activate);

/* ACTIVE -> ATTACHED once no guest access is inside.  Lock held. */
static int deactivate_locked(struct mpt_instance *inst)
{
	const struct mpt_vdev_ops *ops = inst->vdev.type->ops;
	int old;

	mpt_assert_held(&inst->lock);
	for (;;) {
		old = mpt_atomic_cmpxchg(&inst->state, MPT_VDEV_ACTIVE,
					 MPT_VDEV_ATTACHED);
		if (old == MPT_VDEV_ACTIVE)
			break;
		if (old != MPT_VDEV_RESETTING)
			return -EBUSY;
		mpt_os_yield(); /* a reset finishes without our lock */
	}
	while (mpt_atomic_read(&inst->inflight))
		mpt_os_yield();
	if (ops->deactivate)
		ops->deactivate(&inst->vdev);
	return 0;
}

int mpt_vdev_deactivate(struct mpt_vdev *vdev)
{
	struct mpt_instance *inst = to_inst(vdev);
	int ret;

	mpt_mutex_lock(&inst->lock);
	ret = deactivate_locked(inst);
	mpt_mutex_unlock(&inst->lock);
	return ret;
}
MPT_EXPORT(mpt_vdev_deactivate);

int mpt_vdev_reset(struct mpt_vdev *vdev)
{
	struct mpt_instance *inst = to_inst(vdev);
	const struct mpt_vdev_ops *ops = vdev->type->ops;

	if (mpt_atomic_cmpxchg(&inst->state, MPT_VDEV_ACTIVE,
			       MPT_VDEV_RESETTING) != MPT_VDEV_ACTIVE)
		return -EBUSY;
	mpt_cfg_reset(inst);
	mpt_irq_reset(inst);
	mpt_pvinfo_reset(inst);
	if (ops->reset)
		ops->reset(vdev);
	mpt_atomic_set(&inst->state, MPT_VDEV_ACTIVE);
	return 0;
}
MPT_EXPORT(mpt_vdev_reset);

/* ATTACHED -> DETACHED, giving back everything held in the guest. */
static int detach_locked(struct mpt_instance *inst)
{
	enum mpt_vdev_state s = inst_state(inst);

	mpt_assert_held(&inst->lock);
	/* deactivate_locked() also waits out a reset in progress. */
	if (s == MPT_VDEV_ACTIVE || s == MPT_VDEV_RESETTING)
		deactivate_locked(inst);
	if (inst_state(inst) != MPT_VDEV_ATTACHED)
		return -EBUSY;
	/* Refuse new config, track and DMA requests before releasing. */
	mpt_atomic_set(&inst->state, MPT_VDEV_DETACHED);
	mpt_cfg_release_bars(inst);
	mpt_tracks_release_all(inst);
	mpt_dma_release_all(inst);
	mpt_frames_release_all(inst);
	mpt_bk_call(inst, detach);
	inst->handle = NULL;
	return 0;
}

int mpt_vdev_detach(struct mpt_vdev *vdev)
{
	struct mpt_instance *inst = to_inst(vdev);
	int ret;

	mpt_mutex_lock(&inst->lock);
	ret = detach_locked(inst);
	mpt_mutex_unlock(&inst->lock);
	return ret;
}
MPT_EXPORT(mpt_vdev_detach);

int mpt_vdev_destroy(struct mpt_vdev *vdev)
{
	struct mpt_instance *inst = to_inst(vdev);
	enum mpt_vdev_state s;

	mpt_mutex_lock(&inst->lock);
	s = inst_state(inst);
	if (s == MPT_VDEV_DESTROYED) {
		mpt_mutex_unlock(&inst->lock);
		mpt_err("%s/%u destroyed twice", vdev->type->name, vdev->id);
		return -EBUSY;
	}
	if (s == MPT_VDEV_ACTIVE || s == MPT_VDEV_RESETTING ||
	    s == MPT_VDEV_ATTACHED)
		mpt_warn_on(detach_locked(inst));
	mpt_atomic_set(&inst->state, MPT_VDEV_DESTROYED);
	mpt_mutex_unlock(&inst->lock);
	return mpt_vdev_put(vdev);
}
MPT_EXPORT(mpt_vdev_destroy);

void mpt_vdev_get(struct mpt_vdev *vdev)
{
	mpt_atomic_inc_return(&to_inst(vdev)->refs);
}
MPT_EXPORT(mpt_vdev_get);

static void release(struct mpt_instance *inst)
{
	const struct mpt_vdev_ops *ops = inst->vdev.type->ops;

	if (ops->release)
		ops->release(&inst->vdev);
	free_instance(inst);
}

int mpt_vdev_put(struct mpt_vdev *vdev)
{
	struct mpt_instance *inst = to_inst(vdev);
	int old = mpt_atomic_read(&inst->refs), seen;

	/*
	 * The creation reference belongs to mpt_vdev_destroy(): a put that
	 * would drop it from a live instance is a caller's refcount bug.
	 */
	for (;;) {
		if (old <= 0 || (old == 1 && inst_state(inst) !=
						     MPT_VDEV_DESTROYED)) {
			mpt_err("%s/%u: refcount underflow (put without get)",
				vdev->type->name, vdev->id);
			return -EINVAL;
		}
		seen = mpt_atomic_cmpxchg(&inst->refs, old, old - 1);
		if (seen == old)
			break;
		old = seen;
	}
	if (old == 1)
		release(inst);
	return 0;
}
MPT_EXPORT(mpt_vdev_put);

enum mpt_vdev_state mpt_vdev_state(const struct mpt_vdev *vdev)
{
	return inst_state(to_inst(vdev));
}
MPT_EXPORT(mpt_vdev_state);

struct mpt_backend *mpt_vdev_backend(const struct mpt_vdev *vdev)
{
	return to_inst(vdev)->backend;
}
MPT_EXPORT(mpt_vdev_backend);

void *mpt_vdev_backend_handle(const struct mpt_vdev *vdev)
{
	return to_inst(vdev)->handle;
}
MPT_EXPORT(mpt_vdev_backend_handle);

void mpt_vdev_get_stats(const struct mpt_vdev *vdev,
			struct mpt_vdev_stats *stats)
{
	const u64 *src = (const u64 *)&to_inst(vdev)->stats;
	u64 *dst = (u64 *)stats;
	size_t i;

	_Static_assert(sizeof(*stats) % sizeof(u64) == 0, "stats are u64");
	for (i = 0; i < sizeof(*stats) / sizeof(u64); i++)
		dst[i] = mpt_stat_read(&src[i]);
}
MPT_EXPORT(mpt_vdev_get_stats);
