// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt-xen run: the device model of one existing (best: paused) domain.
 *
 * Sets up, in this order: the backend and the device types; the domain
 * (mpt_xen_dom_open: an ioreq server); the machine's own devices (COM1,
 * exit port, 0xcf8, host bridge) routed to mptrun's io.c; the instances at
 * 00:01.0 on; the ioreq thread; then drops privileges and says "ready".
 * It ends when the guest writes the exit port, at the timeout, or on
 * SIGTERM/SIGINT (the domain went away), and tears everything down so the
 * domain is left without our ioreq server.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mpt_xen.h"

#if MPTRUN_MGPU
#include "mgpu.h"
#endif

static struct machine machine;
static struct mpt_xen_dom *the_dom;
static struct mpt_backend *the_backend;

/* --snapshot's file, and whether it was written (the ioreq thread). */
static const char *snapshot_path;
static int snapshot_ret = -ENODATA;

static void io_pio(void *arg, u16 port, void *data, unsigned int len,
		   bool is_write)
{
	struct machine *m = arg;

	mpt_stat_inc(&m->n.pio_exits);
	mptrun_pio(m, port, data, len, is_write);
	/*
	 * The guest ended the run.  Its vCPU waits for this access, so the
	 * domain cannot shut down (and its toolstack destroy it) before the
	 * display is read: take the snapshot now, as mptrun does once its
	 * vCPUs stopped.
	 */
	if (port == MPTRUN_EXIT_PORT && is_write && snapshot_path &&
	    snapshot_ret == -ENODATA) {
		mptrun_serial_flush(m);
		snapshot_ret = mptrun_snapshot(m, snapshot_path);
	}
}

/*
 * Xen decoded 0xcf8/0xcfc itself and hands us the function and register:
 * replay it through io.c's mechanism #1, keeping the guest's own 0xcf8.
 */
static void io_pci(void *arg, unsigned int bdf, unsigned int reg, void *data,
		   unsigned int len, bool is_write)
{
	struct machine *m = arg;
	u32 saved = __atomic_load_n(&m->cf8, __ATOMIC_RELAXED);

	if (reg > 0xff)
		return;
	__atomic_store_n(&m->cf8, 0x80000000u | bdf << 8 | (reg & 0xfc),
			 __ATOMIC_RELAXED);
	mptrun_pio(m, (u16)(MPTRUN_PCI_DATA + (reg & 3)), data, len, is_write);
	__atomic_store_n(&m->cf8, saved, __ATOMIC_RELAXED);
}

static const struct mpt_xen_io_ops io_ops = {
	.pio = io_pio,
	.pci_cfg = io_pci,
};

static int claim_machine(struct mpt_xen_dom *dom)
{
	int ret;

	ret = mpt_xen_dom_claim_pio(dom, MPTRUN_COM1, 8);
	if (!ret)
		/* Xen routes an access only if the range holds all of it. */
		ret = mpt_xen_dom_claim_pio(dom, MPTRUN_EXIT_PORT, 4);
	if (!ret)
		ret = mpt_xen_dom_claim_pio(dom, MPTRUN_PCI_ADDR, 4);
	if (!ret)
		ret = mpt_xen_dom_claim_pci(dom, 0, 0, 0);
	if (ret)
		fprintf(stderr, "mpt-xen: cannot route COM1, the exit port and"
			" the host bridge to the model: %s\n", strerror(-ret));
	return ret;
}

static int make_devices(struct machine *m, const struct xen_run_opts *o)
{
	unsigned int i;
	int ret;

	for (i = 0; i < o->nr_devices; i++) {
		const char *type = o->devices[i];
		struct mpt_xen_pci_slot slot = { the_dom, 0, i + 1, 0 };
		struct mpt_vdev *v;
		int left = mpt_type_available(type);

		ret = mpt_vdev_create(type, "xen", &v);
		if (ret == -ENOENT) {
			fprintf(stderr, "mpt-xen: --device %s: unknown device type\n",
				type);
			return XEN_STATUS_USAGE;
		}
		if (ret == -ENOSPC) {
			fprintf(stderr, "mpt-xen: --device %s: no instance left"
				" (type exhausted; %d available before)\n", type,
				left);
			return XEN_STATUS_HOST;
		}
		if (ret) {
			fprintf(stderr, "mpt-xen: --device %s: cannot create: %s\n",
				type, strerror(-ret));
			return XEN_STATUS_HOST;
		}
		m->dev[m->nr_dev++] = v;
		ret = mpt_vdev_attach(v, &slot);
		if (!ret)
			ret = mpt_vdev_activate(v);
		if (ret) {
			fprintf(stderr, "mpt-xen: --device %s at 00:%02x.0: cannot"
				" attach: %s\n", type, i + 1, strerror(-ret));
			return XEN_STATUS_HOST;
		}
	}
	return 0;
}

static int open_domain(struct machine *m, const struct xen_run_opts *o)
{
	int ret = mpt_xen_dom_open((u16)o->domid, &io_ops, m, &the_dom);

	if (ret == -ESRCH)
		fprintf(stderr, "mpt-xen: no such domain: %ld\n", o->domid);
	else if (ret == -ENOENT)
		fprintf(stderr, "mpt-xen: Xen is not running (no usable"
			" /dev/xen/privcmd): run this in dom0 of a Xen host\n");
	else if (ret == -EOPNOTSUPP)
		fprintf(stderr, "mpt-xen: domain %ld cannot have a device model"
			" (a PV guest? use type=\"pvh\" or \"hvm\")\n", o->domid);
	else if (ret)
		fprintf(stderr, "mpt-xen: domain %ld: cannot create an ioreq"
			" server: %s\n", o->domid, strerror(-ret));
	return ret ? XEN_STATUS_HOST : 0;
}

/* Wait for the exit port, a signal or the timeout. */
static void wait_done(struct machine *m, unsigned int timeout)
{
	struct timespec step = { 0, 100 * 1000 * 1000 };
	time_t end = time(NULL) + timeout;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	for (;;) {
		pthread_mutex_lock(&m->lock);
		if (m->done) {
			pthread_mutex_unlock(&m->lock);
			return;
		}
		pthread_mutex_unlock(&m->lock);
		sig = sigtimedwait(&set, NULL, &step);
		if (sig == SIGTERM || sig == SIGINT) {
			mptrun_finish(m, XEN_STATUS_SHUTDOWN,
				      "the domain went away (signal %d)", sig);
			return;
		}
		if (timeout && time(NULL) >= end) {
			mptrun_finish(m, XEN_STATUS_TIMEOUT,
				      "timeout: the guest did not finish within %u s",
				      timeout);
			return;
		}
	}
}

/*
 * The output files are created while we are root and handed to the user
 * the model becomes, who then writes them: it could not create them in a
 * directory only root may write to.
 */
static int prepare_output(const char *path, bool chown_it)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (chown_it && fchown(fd, XEN_DEFAULT_UID, XEN_DEFAULT_GID))) {
		fprintf(stderr, "mpt-xen: cannot create %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

static int setup(struct machine *m, const struct xen_run_opts *o)
{
	int ret;

	if (prepare_output(o->snapshot, o->deprivilege) ||
	    prepare_output(o->stats_file, o->deprivilege))
		return XEN_STATUS_USAGE;
	ret = mpt_xen_register(NULL, &the_backend);
#if MPTRUN_MGPU
	if (!ret)
		ret = mgpu_register();
#endif
	if (ret) {
		fprintf(stderr, "mpt-xen: registering with mpt: %d\n", ret);
		return XEN_STATUS_HOST;
	}
	ret = open_domain(m, o);
	if (ret)
		return ret;
	if (claim_machine(the_dom))
		return XEN_STATUS_HOST;
	ret = make_devices(m, o);
	if (ret)
		return ret;
	ret = mpt_xen_dom_start(the_dom);
	if (ret) {
		fprintf(stderr, "mpt-xen: cannot serve domain %ld: %s\n",
			o->domid, strerror(-ret));
		return XEN_STATUS_HOST;
	}
	if (o->deprivilege &&
	    mpt_xen_dom_deprivilege(the_dom, XEN_DEFAULT_UID, XEN_DEFAULT_GID)) {
		fprintf(stderr, "mpt-xen: cannot deprivilege; refusing to"
			" serve the guest as root (--no-deprivilege to allow)\n");
		return XEN_STATUS_HOST;
	}
	return 0;
}

static void teardown(struct machine *m)
{
	unsigned int i;

	if (the_dom)
		mpt_xen_dom_stop(the_dom);
	for (i = 0; i < m->nr_dev; i++)
		mpt_vdev_destroy(m->dev[i]);
	m->nr_dev = 0;
	mpt_xen_dom_close(the_dom);
	the_dom = NULL;
	if (the_backend && mpt_backend_unregister(the_backend))
		fprintf(stderr, "mpt-xen: the Xen backend is still in use\n");
}

static void write_stats(struct machine *m, const char *path)
{
	struct mpt_xen_stats s;
	FILE *f = fopen(path, "w");
	unsigned int i;

	if (!f) {
		fprintf(stderr, "mpt-xen: cannot write %s\n", path);
		return;
	}
	mpt_xen_get_stats(the_dom, &s);
	fprintf(f, "{\"status\": %d, \"uid\": %u, \"serial_bytes\": %llu, "
		"\"backend\": {\"ioreqs\": %llu, \"pio\": %llu, \"mmio\": %llu, "
		"\"pci_cfg\": %llu, \"program\": %llu, \"tracked_writes\": %llu, "
		"\"rep_ioreqs\": %llu, \"invalidates\": %llu, \"unhandled\": %llu, "
		"\"refused\": %llu, \"msis\": %llu, \"msi_errors\": %llu, "
		"\"map_misses\": %llu, \"mem_type_changes\": %llu}, \"devices\": [",
		m->status, (unsigned int)getuid(),
		(unsigned long long)mpt_stat_read(&m->n.serial_bytes),
		(unsigned long long)s.ioreqs, (unsigned long long)s.pio,
		(unsigned long long)s.mmio, (unsigned long long)s.pci_cfg,
		(unsigned long long)s.program,
		(unsigned long long)s.tracked_writes,
		(unsigned long long)s.rep_ioreqs,
		(unsigned long long)s.invalidates,
		(unsigned long long)s.unhandled, (unsigned long long)s.refused,
		(unsigned long long)s.msis, (unsigned long long)s.msi_errors,
		(unsigned long long)s.map_misses,
		(unsigned long long)s.mem_type_changes);
	for (i = 0; i < m->nr_dev; i++) {
		struct mpt_vdev_stats v;

		mpt_vdev_get_stats(m->dev[i], &v);
		fprintf(f, "%s{\"pci\": \"00:%02x.0\", \"mmio_traps\": %llu, "
			"\"cfg_accesses\": %llu, \"irqs_injected\": %llu, "
			"\"page_track_writes\": %llu, \"bad_accesses\": %llu}",
			i ? ", " : "", i + 1,
			(unsigned long long)v.mmio_traps,
			(unsigned long long)v.cfg_accesses,
			(unsigned long long)v.irqs_injected,
			(unsigned long long)v.page_track_writes,
			(unsigned long long)v.bad_accesses);
	}
	fprintf(f, "]}\n");
	fclose(f);
}

static void say_ready(int fd)
{
	if (fd < 0)
		return;
	if (write(fd, "ready\n", 6) != 6)
		fprintf(stderr, "mpt-xen: cannot report readiness\n");
	close(fd);
}

int xen_run(const struct xen_run_opts *o)
{
	struct machine *m = &machine;
	sigset_t set;
	int status;

	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	pthread_mutex_init(&m->out_lock, NULL);
	/* Signals are taken by wait_done(), not by the ioreq thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	snapshot_path = o->snapshot;
	status = setup(m, o);
	if (status) {
		teardown(m);
		return status;
	}
	say_ready(o->ready_fd);
	wait_done(m, o->timeout);
	mpt_xen_dom_stop(the_dom);
	mptrun_serial_flush(m);
	status = m->status;
	/* A run that did not end at the exit port: the display as it is. */
	if (o->snapshot && snapshot_ret == -ENODATA)
		snapshot_ret = mptrun_snapshot(m, o->snapshot);
	if (o->snapshot && snapshot_ret && !status)
		status = XEN_STATUS_HOST;
	if (o->stats_file)
		write_stats(m, o->stats_file);
	teardown(m);
	return status;
}
