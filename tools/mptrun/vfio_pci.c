// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The guest's accesses to a --vfio device.
 *
 * Configuration space: mechanism #1 accesses to the device's slot go to
 * the config region (pread/pwrite at its offset); the device's model
 * answers them.  After each write mptrun reads the command register, the
 * BARs (and, in vfio_irq.c, the MSI capability) back, as QEMU does, to
 * learn where the guest decoded the BARs and how it programmed MSI.
 *
 * MMIO and port I/O exits inside a decoded BAR go to that BAR's region at
 * the same offset.  Everything the guest gives is checked first: the
 * access must lie inside the BAR, and the BAR inside the address space;
 * a region access the device refuses reads all ones and is counted.
 */
#include <string.h>
#include <unistd.h>

#include "mptrun.h"

#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1
#define PCI_BAR_MEM_TYPE_64 0x4

static struct vfio_dev *slot_dev(struct machine *m, unsigned int slot)
{
	unsigned int i;

	for (i = 0; i < m->vfio.nr; i++)
		if (m->vfio.dev[i]->slot == slot)
			return m->vfio.dev[i];
	return NULL;
}

u32 mptrun_vfio_cfg_read(struct vfio_dev *d, unsigned int off,
			 unsigned int len)
{
	off_t pos = (off_t)(d->cfg.offset + off);
	u32 v = 0;

	if (pread(d->fd, &v, len, pos) != (ssize_t)len) {
		mpt_stat_inc(&d->n.errors);
		return ~0u;
	}
	return v;
}

/* The BARs as the guest decoded them (@cmd: its command register). */
static void decode_bars(struct vfio_dev *d, u16 cmd,
			struct vfio_bar_map map[MPTRUN_VFIO_NR_BARS])
{
	unsigned int i;

	memset(map, 0, sizeof(map[0]) * MPTRUN_VFIO_NR_BARS);
	for (i = 0; i < MPTRUN_VFIO_NR_BARS; i++) {
		u32 v = mptrun_vfio_cfg_read(d, PCI_BAR0 + 4 * i, 4);
		u64 size = d->bar[i].size;
		struct vfio_bar_map *b = &map[i];

		if (v & PCI_BAR_IO) {
			b->io = true;
			b->base = v & ~3u;
			b->on = (cmd & PCI_COMMAND_IO) && size &&
				b->base + size <= 0x10000;
		} else {
			b->base = v & ~0xfu;
			if ((v & 6) == PCI_BAR_MEM_TYPE_64 &&
			    i + 1 < MPTRUN_VFIO_NR_BARS) {
				u64 hi = mptrun_vfio_cfg_read(d, PCI_BAR0 + 4 * ++i,
							      4);

				b->base |= hi << 32;
			}
			b->on = (cmd & PCI_COMMAND_MEMORY) && size &&
				b->base + size > b->base;
		}
		/* Unassigned (0) or misaligned: nothing decoded there. */
		if (!b->base || b->base & (size - 1))
			b->on = false;
	}
}

void mptrun_vfio_refresh(struct vfio_dev *d)
{
	struct vfio_bar_map map[MPTRUN_VFIO_NR_BARS];
	u16 cmd;

	cmd = (u16)mptrun_vfio_cfg_read(d, PCI_COMMAND, 2);
	decode_bars(d, cmd, map);
	pthread_rwlock_wrlock(&d->map_lock);
	memcpy(d->map, map, sizeof(map));
	pthread_rwlock_unlock(&d->map_lock);
	mptrun_vfio_msi_update(d);
}

bool mptrun_vfio_cfg(struct machine *m, unsigned int slot, unsigned int off,
		     u8 *data, unsigned int len, bool is_write)
{
	struct vfio_dev *d = slot_dev(m, slot);
	off_t pos;

	if (!d || off + len > 256)
		return false;
	mpt_stat_inc(&d->n.cfg_accesses);
	pos = (off_t)(d->cfg.offset + off);
	if (!is_write) {
		if (pread(d->fd, data, len, pos) != (ssize_t)len) {
			memset(data, 0xff, len);
			mpt_stat_inc(&d->n.errors);
		}
		return true;
	}
	pthread_mutex_lock(&d->cfg_lock);
	if (pwrite(d->fd, data, len, pos) != (ssize_t)len)
		mpt_stat_inc(&d->n.errors);
	mptrun_vfio_refresh(d);
	pthread_mutex_unlock(&d->cfg_lock);
	return true;
}

/* The region offset of [@addr, @addr + @len) in a decoded BAR of @d. */
static bool bar_lookup(struct vfio_dev *d, bool io, u64 addr, unsigned int len,
		       off_t *pos)
{
	bool found = false;
	unsigned int i;

	pthread_rwlock_rdlock(&d->map_lock);
	for (i = 0; i < MPTRUN_VFIO_NR_BARS && !found; i++) {
		const struct vfio_bar_map *b = &d->map[i];
		u64 size = d->bar[i].size;

		if (!b->on || b->io != io || addr < b->base ||
		    addr - b->base >= size || len > size - (addr - b->base))
			continue;
		*pos = (off_t)(d->bar[i].offset + (addr - b->base));
		found = true;
	}
	pthread_rwlock_unlock(&d->map_lock);
	return found;
}

static bool bar_access(struct machine *m, bool io, u64 addr, u8 *data,
		       unsigned int len, bool is_write)
{
	unsigned int i;
	off_t pos;
	ssize_t n;

	for (i = 0; i < m->vfio.nr; i++) {
		struct vfio_dev *d = m->vfio.dev[i];

		if (!bar_lookup(d, io, addr, len, &pos))
			continue;
		mpt_stat_inc(io ? &d->n.pio : &d->n.mmio);
		n = is_write ? pwrite(d->fd, data, len, pos) :
			       pread(d->fd, data, len, pos);
		if (n != (ssize_t)len) {
			if (!is_write)
				memset(data, 0xff, len);
			mpt_stat_inc(&d->n.errors);
		}
		return true;
	}
	return false;
}

bool mptrun_vfio_mmio(struct machine *m, u64 gpa, u8 *data, unsigned int len,
		      bool is_write)
{
	return m->vfio.nr && bar_access(m, false, gpa, data, len, is_write);
}

bool mptrun_vfio_pio(struct machine *m, u16 port, u8 *data, unsigned int len,
		     bool is_write)
{
	return m->vfio.nr && bar_access(m, true, port, data, len, is_write);
}
