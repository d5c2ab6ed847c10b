// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Device types: what device models offer.  A description is checked once
 * at registration, so that instance creation and the guest-facing paths can
 * rely on it (BAR sizes are powers of two, MSI-X structures fit their BAR).
 */
#include "mpt_core.h"

static MPT_DEFINE_MUTEX(types_lock);
static struct mpt_type_entry *types;
static mpt_atomic_t next_instance_id;

static bool pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static int check_bar(const struct mpt_pci_desc *pci, unsigned int i)
{
	const struct mpt_bar_desc *b = &pci->bars[i];

	switch (b->type) {
	case MPT_BAR_NONE:
		return 0;
	case MPT_BAR_IO:
		return pow2(b->size) && b->size >= 4 && b->size <= 256 ? 0 : -1;
	case MPT_BAR_MEM64:
		if (i + 1 >= MPT_PCI_NR_BARS ||
		    pci->bars[i + 1].type != MPT_BAR_NONE)
			return -1;
		return pow2(b->size) && b->size >= MPT_PAGE_SIZE ? 0 : -1;
	case MPT_BAR_MEM32:
		return pow2(b->size) && b->size >= MPT_PAGE_SIZE &&
			       b->size <= (1ULL << 31) ?
			       0 :
			       -1;
	}
	return -1;
}

static bool within(u64 off, u64 len, u64 size)
{
	return off < size && len <= size - off;
}

static int check_msix(const struct mpt_pci_desc *pci)
{
	u64 tlen = (u64)pci->msix_vectors * 16;
	u64 plen = (pci->msix_vectors + 63) / 64 * 8, size;
	u64 t = pci->msix_table_offset, p = pci->msix_pba_offset;

	if (!pci->msix_vectors)
		return 0;
	if (pci->msix_vectors > MPT_MSIX_MAX_VECTORS ||
	    pci->msix_bar >= MPT_PCI_NR_BARS ||
	    pci->bars[pci->msix_bar].type == MPT_BAR_NONE ||
	    pci->bars[pci->msix_bar].type == MPT_BAR_IO || (t & 7) || (p & 7))
		return -1;
	size = pci->bars[pci->msix_bar].size;
	if (!within(t, tlen, size) || !within(p, plen, size))
		return -1;
	return (t + tlen <= p || p + plen <= t) ? 0 : -1;
}

static int check_pci(const char *name, const struct mpt_pci_desc *pci)
{
	unsigned int i;

	for (i = 0; i < MPT_PCI_NR_BARS; i++) {
		if (check_bar(pci, i)) {
			mpt_err("type '%s': BAR%u: bad type or size", name, i);
			return -EINVAL;
		}
	}
	if (pci->msi_vectors && (!pow2(pci->msi_vectors) ||
				 pci->msi_vectors > MPT_MSI_MAX_VECTORS)) {
		mpt_err("type '%s': MSI vectors must be a power of two <= 32",
			name);
		return -EINVAL;
	}
	if (check_msix(pci)) {
		mpt_err("type '%s': MSI-X table or PBA misplaced", name);
		return -EINVAL;
	}
	return 0;
}

static int check_type(const struct mpt_vdev_type *t)
{
	if (!t || !t->name || !*t->name || strlen(t->name) > 31) {
		mpt_err("device type without a valid name (1-31 characters)");
		return -EINVAL;
	}
	if (!t->description || !t->max_instances || !t->pci || !t->ops ||
	    !t->ops->init || t->instance_size < sizeof(struct mpt_vdev)) {
		mpt_err("type '%s': needs description, max_instances, pci, "
			"ops with init, and instance_size",
			t->name);
		return -EINVAL;
	}
	return check_pci(t->name, t->pci);
}

static struct mpt_type_entry *find_type(const char *name)
{
	struct mpt_type_entry *e;

	for (e = types; e; e = e->next)
		if (!strcmp(e->type->name, name))
			return e;
	return NULL;
}

int mpt_type_register(const struct mpt_vdev_type *type)
{
	struct mpt_type_entry *e;
	int ret = check_type(type);

	if (ret)
		return ret;
	e = mpt_zalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->type = type;
	mpt_mutex_lock(&types_lock);
	if (find_type(type->name)) {
		mpt_mutex_unlock(&types_lock);
		mpt_free(e);
		mpt_err("device type '%s' already registered", type->name);
		return -EEXIST;
	}
	e->next = types;
	types = e;
	mpt_mutex_unlock(&types_lock);
	return 0;
}
MPT_EXPORT(mpt_type_register);

int mpt_type_unregister(const struct mpt_vdev_type *type)
{
	struct mpt_type_entry **p, *e;

	mpt_mutex_lock(&types_lock);
	for (p = &types; *p && (*p)->type != type; p = &(*p)->next)
		;
	e = *p;
	if (e && e->nr_instances) {
		mpt_mutex_unlock(&types_lock);
		return -EBUSY;
	}
	if (e)
		*p = e->next;
	mpt_mutex_unlock(&types_lock);
	if (!e)
		return -ENOENT;
	mpt_free(e);
	return 0;
}
MPT_EXPORT(mpt_type_unregister);

int mpt_type_available(const char *name)
{
	struct mpt_type_entry *e;
	int ret;

	mpt_mutex_lock(&types_lock);
	e = find_type(name);
	ret = e ? (int)(e->type->max_instances - e->nr_instances) : -ENOENT;
	mpt_mutex_unlock(&types_lock);
	return ret;
}
MPT_EXPORT(mpt_type_available);

/*
 * Take an instance slot on a type, with a reference on the module owning
 * it, under the lock mpt_type_unregister() checks the slots under (see
 * mpt_backend_get()).
 */
int mpt_type_get(const char *name, struct mpt_type_entry **out)
{
	struct mpt_type_entry *e;
	int ret = 0;

	mpt_mutex_lock(&types_lock);
	e = name ? find_type(name) : NULL;
	if (!e)
		ret = -ENOENT;
	else if (e->nr_instances >= e->type->max_instances)
		ret = -ENOSPC;
	else if (!mpt_os_owner_get(e->type->owner))
		ret = -ENODEV; /* its module is going: it will unregister */
	else
		e->nr_instances++;
	mpt_mutex_unlock(&types_lock);
	if (ret == -ENOENT)
		mpt_err("no device type '%s'", name ? name : "(null)");
	else if (ret == -ENODEV)
		mpt_err("device type '%s' is being unloaded", name);
	else if (ret)
		mpt_err("device type '%s': all %u instances in use", name,
			e->type->max_instances);
	*out = ret ? NULL : e;
	return ret;
}

void mpt_type_put(struct mpt_type_entry *e)
{
	void *owner = e->type->owner;

	mpt_mutex_lock(&types_lock);
	mpt_warn_on(!e->nr_instances);
	e->nr_instances--;
	mpt_mutex_unlock(&types_lock);
	/* Last: the module may go as soon as this returns. */
	mpt_os_owner_put(owner);
}

u32 mpt_type_next_instance_id(void)
{
	return (u32)mpt_atomic_inc_return(&next_instance_id);
}
