// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mdevs of this parent by UUID, so that test harnesses and tools can
 * attach their own instances to the one a VMM has open
 * (include/mpt/kvmgt.h).  The list holds an mdev from the end of its
 * probe to the start of its remove, so a device found under the list lock
 * is alive and a reference taken there keeps its memory.
 */
#include <linux/mdev.h>
#include <linux/module.h>
#include <linux/uuid.h>

#include <mpt/kvmgt.h>

#include "mpt_mdev.h"

static DEFINE_MUTEX(mpt_mdev_list_lock);
static LIST_HEAD(mpt_mdev_list);

void mpt_mdev_list_add(struct mpt_mdev_state *st)
{
	mutex_lock(&mpt_mdev_list_lock);
	list_add_tail(&st->node, &mpt_mdev_list);
	mutex_unlock(&mpt_mdev_list_lock);
}

void mpt_mdev_list_del(struct mpt_mdev_state *st)
{
	mutex_lock(&mpt_mdev_list_lock);
	list_del_init(&st->node);
	mutex_unlock(&mpt_mdev_list_lock);
}

static bool mpt_mdev_is_open(struct mpt_mdev_state *st)
{
	bool open;

	down_read(&st->session_lock);
	open = st->open;
	up_read(&st->session_lock);
	return open;
}

struct vfio_device *mpt_kvmgt_get_device(const char *uuid)
{
	struct vfio_device *found = ERR_PTR(-ENOENT);
	struct mpt_mdev_state *st;
	guid_t guid;

	if (!uuid || guid_parse(uuid, &guid))
		return ERR_PTR(-EINVAL);
	mutex_lock(&mpt_mdev_list_lock);
	list_for_each_entry(st, &mpt_mdev_list, node) {
		struct mdev_device *mdev = to_mdev_device(st->vfio.dev);

		if (!guid_equal(&mdev->uuid, &guid))
			continue;
		if (mpt_mdev_is_open(st)) {
			get_device(&st->vfio.device);
			found = &st->vfio;
		} else {
			found = ERR_PTR(-ENODEV);
		}
		break;
	}
	mutex_unlock(&mpt_mdev_list_lock);
	return found;
}
EXPORT_SYMBOL_NS_GPL(mpt_kvmgt_get_device, MPT);

void mpt_kvmgt_put_device(struct vfio_device *vfio)
{
	vfio_put_device(vfio);
}
EXPORT_SYMBOL_NS_GPL(mpt_kvmgt_put_device, MPT);
