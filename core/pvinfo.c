// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The paravirtual info page served to the guest.
 *
 * The page is a byte image of struct mpt_pvinfo.  Reads return it; writes
 * are filtered byte by byte: only guest_status, g2v_notify and g2v_payload
 * are writable.  A write that touches anything else is ignored there and
 * counted (read-only or reserved), because a guest poking such fields is a
 * driver bug or an attack, and the device model may want to react.
 */
#include "mpt_core.h"

struct mpt_pvinfo_state {
	struct mpt_spinlock lock;
	mpt_pvinfo_notify_fn notify;
	u64 offset; /* of the page in its BAR */
	union {
		struct mpt_pvinfo page;
		u8 bytes[MPT_PVINFO_SIZE];
	};
};

enum field_kind { FIELD_RW, FIELD_RO, FIELD_RSVD };

static bool in(unsigned int off, unsigned int start, unsigned int len)
{
	return off - start < len;
}

static enum field_kind kind_of(unsigned int off)
{
	if (in(off, MPT_PVINFO_OFF_GUEST_STATUS, 4) ||
	    in(off, MPT_PVINFO_OFF_G2V_NOTIFY, 4) ||
	    in(off, MPT_PVINFO_OFF_G2V_PAYLOAD, 4 * MPT_PVINFO_NR_PAYLOAD))
		return FIELD_RW;
	if (in(off, MPT_PVINFO_OFF_MAGIC, MPT_PVINFO_OFF_CAPS + 4) ||
	    in(off, MPT_PVINFO_OFF_RANGES,
	       MPT_PVINFO_NR_RANGES * sizeof(struct mpt_pvinfo_range)))
		return FIELD_RO;
	return FIELD_RSVD;
}

/* Apply the writable bytes; count the access once per kind refused. */
static bool filter_write(struct mpt_instance *inst, unsigned int off,
			 const u8 *data, unsigned int len)
{
	struct mpt_pvinfo_state *pv = inst->pvinfo;
	bool ro = false, rsvd = false;
	unsigned int i;

	for (i = 0; i < len; i++) {
		enum field_kind k = kind_of(off + i);

		if (k == FIELD_RW)
			pv->bytes[off + i] = data[i];
		ro |= k == FIELD_RO;
		rsvd |= k == FIELD_RSVD;
	}
	if (ro)
		mpt_stat_inc(&inst->stats.pvinfo_ro_writes);
	if (rsvd)
		mpt_stat_inc(&inst->stats.pvinfo_rsvd_writes);
	/* Only a whole, aligned write of g2v_notify sends a message. */
	return off <= MPT_PVINFO_OFF_G2V_NOTIFY &&
	       off + len >= MPT_PVINFO_OFF_G2V_NOTIFY + 4 && !(off & 3);
}

static int pvinfo_access(struct mpt_vdev *vdev, u64 offset, void *data,
			 unsigned int len, bool is_write, void *opaque)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct mpt_pvinfo_state *pv = opaque;
	unsigned int off = (unsigned int)(offset - pv->offset);
	u32 payload[MPT_PVINFO_NR_PAYLOAD], msg = 0;
	bool notify = false;

	mpt_spin_lock(&pv->lock);
	if (!is_write) {
		memcpy(data, pv->bytes + off, len);
	} else if (filter_write(inst, off, data, len)) {
		notify = true;
		msg = pv->page.g2v_notify;
		memcpy(payload, pv->page.g2v_payload, sizeof(payload));
	}
	mpt_spin_unlock(&pv->lock);
	if (notify) {
		mpt_stat_inc(&inst->stats.pvinfo_notifies);
		if (pv->notify)
			mpt_upcall_pvinfo_notify(pv->notify, vdev, msg,
						 payload);
	}
	return 0;
}

static void fill_page(struct mpt_pvinfo_state *pv, u32 id,
		      const struct mpt_pvinfo_config *config)
{
	struct mpt_pvinfo *p = &pv->page;

	memset(pv->bytes, 0, sizeof(pv->bytes));
	p->magic = MPT_PVINFO_MAGIC;
	p->version_major = MPT_PVINFO_VERSION_MAJOR;
	p->version_minor = MPT_PVINFO_VERSION_MINOR;
	p->instance_id = id;
	p->caps = config->caps;
	memcpy(p->ranges, config->ranges, sizeof(p->ranges));
}

int mpt_pvinfo_setup(struct mpt_vdev *vdev, unsigned int bar, u64 offset,
		     const struct mpt_pvinfo_config *config)
{
	struct mpt_instance *inst = to_inst(vdev);
	struct mpt_pvinfo_state *pv;
	int ret;

	if (!config || inst->pvinfo || bar >= MPT_PCI_NR_BARS ||
	    (offset & ~MPT_PAGE_MASK) ||
	    vdev->type->pci->bars[bar].type == MPT_BAR_IO ||
	    vdev->type->pci->bars[bar].type == MPT_BAR_NONE)
		return -EINVAL;
	pv = mpt_zalloc(sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	mpt_spin_init(&pv->lock);
	pv->notify = config->notify;
	pv->offset = offset;
	fill_page(pv, vdev->id, config);
	ret = mpt_trap_register(vdev, bar, offset, MPT_PVINFO_SIZE,
				pvinfo_access, pv, 0);
	if (ret) {
		mpt_spin_destroy(&pv->lock);
		mpt_free(pv);
		return ret;
	}
	inst->pvinfo = pv;
	return 0;
}
MPT_EXPORT(mpt_pvinfo_setup);

u32 mpt_pvinfo_guest_status(struct mpt_vdev *vdev)
{
	struct mpt_pvinfo_state *pv = to_inst(vdev)->pvinfo;
	u32 v;

	if (!pv)
		return 0;
	mpt_spin_lock(&pv->lock);
	v = pv->page.guest_status;
	mpt_spin_unlock(&pv->lock);
	return v;
}
MPT_EXPORT(mpt_pvinfo_guest_status);

void mpt_pvinfo_reset(struct mpt_instance *inst)
{
	struct mpt_pvinfo_state *pv = inst->pvinfo;

	if (!pv)
		return;
	mpt_spin_lock(&pv->lock);
	pv->page.guest_status = 0;
	pv->page.g2v_notify = 0;
	memset(pv->page.g2v_payload, 0, sizeof(pv->page.g2v_payload));
	mpt_spin_unlock(&pv->lock);
}

void mpt_pvinfo_destroy(struct mpt_instance *inst)
{
	if (!inst->pvinfo)
		return;
	mpt_spin_destroy(&inst->pvinfo->lock);
	mpt_free(inst->pvinfo);
	inst->pvinfo = NULL;
}
