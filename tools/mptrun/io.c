// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The devices mptrun emulates itself: COM1 (output only), the exit port,
 * PCI configuration mechanism #1 with a host bridge at 00:00.0, the mpt
 * instances at 00:01.0 onwards and the --vfio devices after them (whose
 * configuration space and BARs vfio_pci.c forwards).  Anything else is
 * unhandled: reads return all ones, writes are dropped, and both are
 * counted.
 */
#include <string.h>
#include <unistd.h>

#include "mptrun.h"

#define COM1_THR 0
#define COM1_IER 1
#define COM1_LCR 3
#define COM1_LSR 5
#define COM1_MSR 6
#define COM1_SCR 7
#define LCR_DLAB 0x80
#define LSR_THR_EMPTY 0x60 /* THRE and TEMT */

#define PCI_ENABLE 0x80000000u

static void flush_locked(struct machine *m)
{
	size_t off = 0;
	ssize_t n;

	while (off < m->line_len) {
		n = write(STDOUT_FILENO, m->line + off, m->line_len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	m->line_len = 0;
}

void mptrun_serial_flush(struct machine *m)
{
	pthread_mutex_lock(&m->out_lock);
	flush_locked(m);
	pthread_mutex_unlock(&m->out_lock);
}

static void serial_out(struct machine *m, u8 c)
{
	pthread_mutex_lock(&m->out_lock);
	m->line[m->line_len++] = (char)c;
	if (c == '\n' || m->line_len == sizeof(m->line))
		flush_locked(m);
	pthread_mutex_unlock(&m->out_lock);
	mpt_stat_inc(&m->n.serial_bytes);
}

/* COM1 as a guest that only prints needs it.  Returns false if unhandled. */
static bool serial(struct machine *m, unsigned int reg, u8 *data,
		   unsigned int len, bool is_write)
{
	bool dlab = m->lcr & LCR_DLAB;

	if (len != 1)
		return false;
	if (is_write) {
		if (reg == COM1_THR && !dlab)
			serial_out(m, data[0]);
		else if (reg == COM1_LCR)
			m->lcr = data[0];
		return true;
	}
	switch (reg) {
	case COM1_LSR:
		data[0] = LSR_THR_EMPTY;
		break;
	case COM1_LCR:
		data[0] = m->lcr;
		break;
	case COM1_MSR:
		data[0] = 0xb0; /* DCD, DSR, CTS */
		break;
	default:
		data[0] = 0;
	}
	return true;
}

/* The host bridge's configuration space: IDs, class, a command register. */
static void bridge_cfg(struct machine *m, unsigned int off, u8 *data,
		       unsigned int len, bool is_write)
{
	u8 cfg[64] = { 0 };
	unsigned int i;

	if (is_write) {
		if (off == 4 && len >= 2)
			memcpy(&m->bridge_cmd, data, 2);
		return;
	}
	cfg[0] = MPTRUN_HOSTBRIDGE_VENDOR & 0xff;
	cfg[1] = MPTRUN_HOSTBRIDGE_VENDOR >> 8;
	cfg[2] = MPTRUN_HOSTBRIDGE_DEVICE & 0xff;
	cfg[3] = MPTRUN_HOSTBRIDGE_DEVICE >> 8;
	memcpy(&cfg[4], &m->bridge_cmd, 2);
	cfg[0x0b] = 0x06; /* class: bridge, host bridge */
	for (i = 0; i < len; i++)
		data[i] = off + i < sizeof(cfg) ? cfg[off + i] : 0;
}

static void pci_data(struct machine *m, unsigned int port, u8 *data,
		     unsigned int len, bool is_write)
{
	u32 addr = __atomic_load_n(&m->cf8, __ATOMIC_RELAXED);
	unsigned int bus = (addr >> 16) & 0xff, dev = (addr >> 11) & 0x1f;
	unsigned int fn = (addr >> 8) & 7;
	unsigned int off = (addr & 0xfc) + (port - MPTRUN_PCI_DATA);

	mpt_stat_inc(&m->n.pci_accesses);
	if (!is_write)
		memset(data, 0xff, len);
	if (!(addr & PCI_ENABLE) || bus || fn || (off & (len - 1)))
		return;
	if (dev == 0)
		bridge_cfg(m, off, data, len, is_write);
	else if (dev <= m->nr_dev)
		mpt_vdev_cfg_access(m->dev[dev - 1], off, data, len, is_write);
	else
		mptrun_vfio_cfg(m, dev, off, data, len, is_write);
}

void mptrun_pio(struct machine *m, u16 port, u8 *data, unsigned int len,
		bool is_write)
{
	u32 v = 0;

	if (port >= MPTRUN_COM1 && port < MPTRUN_COM1 + 8 &&
	    serial(m, port - MPTRUN_COM1, data, len, is_write))
		return;
	if (port == MPTRUN_EXIT_PORT && is_write) {
		memcpy(&v, data, len);
		mptrun_finish(m, (int)(v & 0xff), NULL);
		return;
	}
	if (port == MPTRUN_PCI_ADDR && len == 4) {
		if (is_write)
			__atomic_store_n(&m->cf8, *(u32 *)data,
					 __ATOMIC_RELAXED);
		else
			*(u32 *)data = __atomic_load_n(&m->cf8,
						       __ATOMIC_RELAXED);
		return;
	}
	if (port >= MPTRUN_PCI_DATA && port + len <= MPTRUN_PCI_DATA + 4) {
		pci_data(m, port, data, len, is_write);
		return;
	}
	if (mptrun_vfio_pio(m, port, data, len, is_write))
		return;
	mpt_stat_inc(&m->n.unhandled_pio);
	if (!is_write)
		memset(data, 0xff, len);
}

void mptrun_mmio(struct machine *m, u64 gpa, u8 *data, unsigned int len,
		 bool is_write)
{
	if (mptrun_vfio_mmio(m, gpa, data, len, is_write))
		return;
	mpt_stat_inc(&m->n.unhandled_mmio);
	if (!is_write)
		memset(data, 0xff, len);
}
