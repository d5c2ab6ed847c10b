// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Backend registration.
 *
 * Push-based: a backend registers into the core when it is ready and the
 * core never goes looking for one, so no load order can deadlock (the i915
 * and kvmgt lesson).  A table is validated once here; dispatch afterwards
 * trusts it.
 */
#include "mpt_core.h"

/* struct mpt_backend_ops as ABI 1.0 defined it: the smallest we accept. */
#define MPT_OPS_SIZE_V1_0 __builtin_offsetof(struct mpt_backend_ops, owner)

static MPT_DEFINE_MUTEX(backends_lock);
static struct mpt_backend *backends;

static bool valid_name(const char *name)
{
	size_t i, len = name ? strlen(name) : 0;

	if (!len || len >= sizeof(((struct mpt_backend *)0)->name))
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

static int check_abi(const struct mpt_backend_ops *ops)
{
	if (ops->abi_version >> 16 != MPT_BACKEND_ABI_MAJOR) {
		mpt_err("backend '%s' built for ops ABI %u.%u, core speaks %u.%u",
			ops->name ? ops->name : "?", ops->abi_version >> 16,
			ops->abi_version & 0xffff, MPT_BACKEND_ABI_MAJOR,
			MPT_BACKEND_ABI_MINOR);
		return -EINVAL;
	}
	if (ops->size < MPT_OPS_SIZE_V1_0 ||
	    ops->size > sizeof(struct mpt_backend_ops)) {
		mpt_err("backend '%s': ops table of %u bytes, core expects %zu",
			ops->name ? ops->name : "?", ops->size,
			sizeof(struct mpt_backend_ops));
		return -EINVAL;
	}
	return 0;
}

static int check_ops(const struct mpt_backend_ops *ops)
{
#define CHECK_MANDATORY(op)                                              \
	if (!ops->op) {                                                  \
		mpt_err("backend '%s' lacks mandatory op " #op, ops->name); \
		return -EINVAL;                                          \
	}
	MPT_OPS_MANDATORY(CHECK_MANDATORY)
#undef CHECK_MANDATORY
#define CHECK_PAIR(a, b)                                                 \
	if (!ops->a != !ops->b) {                                        \
		mpt_err("backend '%s': ops " #a " and " #b               \
			" go together",                                  \
			ops->name);                                      \
		return -EINVAL;                                          \
	}
	MPT_OPS_PAIRS(CHECK_PAIR)
#undef CHECK_PAIR
	return 0;
}

#ifdef MPT_DISPATCH_DIRECT
#define MPT_STR2(x) #x
#define MPT_STR(x) MPT_STR2(x)
/*
 * This build calls the bound backend's functions directly: accept only a
 * table holding exactly those, so table and direct calls cannot disagree.
 */
static int check_binding(const struct mpt_backend *b)
{
#define CHECK_BOUND(op)                                                     \
	if (b->ops.op != MPT_BOUND(op)) {                                   \
		mpt_err("backend '%s' refused: this build dispatches statically" \
			" to backend '" MPT_STR(MPT_STATIC_BACKEND)          \
			"' (op " #op " differs); rebuild with both backends",  \
			b->name);                                           \
		return -EINVAL;                                             \
	}
	MPT_OPS_MANDATORY(CHECK_BOUND)
	MPT_OPS_OPTIONAL(CHECK_BOUND)
#undef CHECK_BOUND
	return 0;
}
#else
static int check_binding(const struct mpt_backend *b)
{
	(void)b;
	return 0;
}
#endif

/*
 * Copy the table (ops past the backend's size stay NULL, so an older,
 * smaller table is never read beyond its end), check it, and put the
 * core's defaults where optional ops are absent.
 */
static int resolve_ops(struct mpt_backend *b, const struct mpt_backend_ops *ops)
{
	int ret;

	memcpy(&b->ops, ops, ops->size);
	b->ops.size = sizeof(b->ops);
	ret = check_ops(&b->ops);
	if (ret)
		return ret;
#define FILL_DEFAULT(op)          \
	if (!b->ops.op)           \
		b->ops.op = mpt_default_##op;
	MPT_OPS_OPTIONAL(FILL_DEFAULT)
#undef FILL_DEFAULT
	return 0;
}

static struct mpt_backend *find_backend(const char *name)
{
	struct mpt_backend *b;

	for (b = backends; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

/* Checks on the backend's table that need nothing past its @size. */
static int validate(const struct mpt_backend_ops *ops, const char *name)
{
	int ret;

	if (!ops)
		return -EINVAL;
	ret = check_abi(ops);
	if (ret)
		return ret;
	if (!valid_name(name)) {
		mpt_err("backend name '%s' invalid: 1-31 of [a-z0-9_-]",
			name ? name : "(null)");
		return -EINVAL;
	}
	return 0;
}

int mpt_backend_register(const struct mpt_backend_ops *ops, const char *name,
			 void *priv, struct mpt_backend **out)
{
	struct mpt_backend *b;
	int ret;

	if (!name && ops)
		name = ops->name;
	ret = validate(ops, name);
	if (ret)
		return ret;
	b = mpt_zalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->orig = ops;
	b->priv = priv;
	strcpy(b->name, name);
	ret = resolve_ops(b, ops);
	if (!ret)
		ret = check_binding(b);
	if (ret)
		goto err_free;
	mpt_mutex_lock(&backends_lock);
	if (find_backend(name)) {
		mpt_mutex_unlock(&backends_lock);
		mpt_err("backend name '%s' already registered", name);
		ret = -EEXIST;
		goto err_free;
	}
	/* Before anyone can create an instance on it. */
	mpt_dispatch_backend_added(b, backends);
	b->next = backends;
	backends = b;
	mpt_mutex_unlock(&backends_lock);
	mpt_info("backend '%s' registered", name);
	*out = b;
	return 0;
err_free:
	mpt_free(b);
	return ret;
}
MPT_EXPORT(mpt_backend_register);

int mpt_backend_unregister(struct mpt_backend *backend)
{
	struct mpt_backend **p;

	mpt_mutex_lock(&backends_lock);
	if (backend->nr_instances) {
		mpt_mutex_unlock(&backends_lock);
		mpt_err("backend '%s' still has %u instances", backend->name,
			backend->nr_instances);
		return -EBUSY;
	}
	for (p = &backends; *p && *p != backend; p = &(*p)->next)
		;
	if (*p) {
		*p = backend->next;
		/* No instance can reach its code once this returns. */
		mpt_dispatch_backend_removed(backend, backends);
	}
	mpt_mutex_unlock(&backends_lock);
	mpt_free(backend);
	return 0;
}
MPT_EXPORT(mpt_backend_unregister);

/*
 * Take an instance slot on a backend: by name, or the only one.  The slot
 * comes with a reference on the backend's module, taken under the lock
 * that mpt_backend_unregister() checks the slots under: either the module
 * is pinned before it can start unloading, or it is already going and no
 * slot is taken, so its exit never sees an instance.
 */
int mpt_backend_get(const char *name, struct mpt_backend **out)
{
	struct mpt_backend *b = NULL;
	int ret = 0;

	mpt_mutex_lock(&backends_lock);
	if (name) {
		b = find_backend(name);
		if (!b)
			ret = -ENOENT;
	} else if (!backends || backends->next) {
		ret = -EINVAL;
	} else {
		b = backends;
	}
	if (b && !mpt_os_owner_get(b->ops.owner)) {
		/* Its module is going: its exit will unregister it. */
		mpt_err("backend '%s' is being unloaded", b->name);
		ret = -ENODEV;
		b = NULL;
	}
	if (b)
		b->nr_instances++;
	mpt_mutex_unlock(&backends_lock);
	if (ret == -EINVAL)
		mpt_err("no backend named and not exactly one registered");
	else if (ret == -ENOENT)
		mpt_err("no backend named '%s'", name);
	*out = b;
	return ret;
}

void mpt_backend_put(struct mpt_backend *b)
{
	void *owner = b->ops.owner;

	mpt_mutex_lock(&backends_lock);
	mpt_warn_on(!b->nr_instances);
	b->nr_instances--;
	mpt_mutex_unlock(&backends_lock);
	/* Last: the module may go as soon as this returns. */
	mpt_os_owner_put(owner);
}

void *mpt_backend_priv(const struct mpt_backend *backend)
{
	return backend->priv;
}
MPT_EXPORT(mpt_backend_priv);

const char *mpt_backend_name(const struct mpt_backend *backend)
{
	return backend->name;
}
MPT_EXPORT(mpt_backend_name);
