// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The ioreq loop: the thread that serves a domain's device accesses.
 *
 * Xen gives each vCPU one slot of the shared request page and one event
 * channel.  When the vCPU makes an access a range of ours covers, Xen
 * fills the slot, sets its state to STATE_IOREQ_READY (after a write
 * barrier), signals the channel and blocks the vCPU.  Here:
 *
 *   event on port P -> unmask P -> vCPU v of P
 *   state == READY?  (else spurious: a slot we already answered)
 *   acquire barrier, copy the request out (the page is shared: read every
 *     field once), state = INPROCESS
 *   handle it; for a read, store the data into the slot
 *   release barrier, state = IORESP_READY, notify P
 *
 * Xen reads the data only after it sees IORESP_READY (it has a read
 * barrier there), so the release barrier orders our data store before the
 * state store.  One thread serves every vCPU in turn: each request blocks
 * only its own vCPU, and the device models see one access at a time per
 * domain, as on one vCPU thread.
 *
 * Requests:
 *   PIO, COPY (MMIO)   to the claimed range's instance or the program;
 *                      COPY writes to tracked RAM go to xen_track.c;
 *                      anything else reads all ones (counted)
 *   PCI_CONFIG         addr = SBDF << 32 | register
 *   INVALIDATE         flush the map cache
 *   TIMEOFFSET         acknowledged (no RTC here)
 * A request with data_is_ptr (rep ins/outs/movs) carries @count elements
 * of @size bytes at guest address @data, stepping down with @df; each is
 * copied through the map cache and dispatched as a single access.  Sizes
 * other than 1, 2, 4 and 8 and counts above XEN_MAX_REP are refused: the
 * read returns all ones, nothing is written.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "xen_priv.h"

static bool good_size(u32 size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* One access of at most 8 bytes, anywhere. */
static void access_one(struct mpt_xen_dom *dom, u8 type, u64 addr, u8 *data,
		       unsigned int len, bool is_write)
{
	int ret;

	if (type == IOREQ_TYPE_PIO) {
		ret = xen_trap_dispatch(dom, MPT_SPACE_PIO, addr, data, len,
					is_write);
	} else {
		ret = xen_trap_dispatch(dom, MPT_SPACE_MMIO, addr, data, len,
					is_write);
		/* Not a BAR: a write to a tracked page, or a read of one. */
		if (ret == -ENOENT && is_write) {
			xen_track_ram_write(dom, addr, data, len);
			ret = 0;
		} else if (ret == -ENOENT) {
			ret = xen_copy_gpa(dom, addr, data, len, false);
		}
	}
	if (ret) {
		mpt_stat_inc(&dom->stats.unhandled);
		if (!is_write)
			memset(data, 0xff, len);
	}
}

/* data_is_ptr: the elements live in guest memory. */
static void access_rep(struct mpt_xen_dom *dom, const ioreq_t *req)
{
	bool is_write = req->dir == IOREQ_WRITE;
	s64 step = req->df ? -(s64)req->size : (s64)req->size;
	u32 i;

	mpt_stat_inc(&dom->stats.rep_ioreqs);
	for (i = 0; i < req->count; i++) {
		u64 mem = req->data + (u64)(i * step);
		u64 addr = req->type == IOREQ_TYPE_PIO ? req->addr :
							 req->addr + (u64)(i * step);
		u8 buf[8] = { 0 };

		if (is_write) {
			if (xen_copy_gpa(dom, mem, buf, req->size, false))
				break;
			access_one(dom, req->type, addr, buf, req->size, true);
		} else {
			access_one(dom, req->type, addr, buf, req->size, false);
			if (xen_copy_gpa(dom, mem, buf, req->size, true))
				break;
		}
	}
	if (i < req->count)
		mpt_stat_inc(&dom->stats.unhandled);
}

static void pci_config(struct mpt_xen_dom *dom, ioreq_t *req)
{
	unsigned int sbdf = (unsigned int)(req->addr >> 32);
	unsigned int reg = (unsigned int)req->addr;
	u8 buf[8];
	bool is_write = req->dir == IOREQ_WRITE;

	if (req->data_is_ptr || req->count != 1 || req->size > 4 ||
	    sbdf >> 16) {
		mpt_stat_inc(&dom->stats.refused);
		req->data = ~0ULL;
		return;
	}
	memcpy(buf, &req->data, sizeof(buf));
	if (!is_write)
		memset(buf, 0xff, sizeof(buf));
	if (xen_pci_dispatch(dom, sbdf & 0xffff, reg, buf, req->size,
			     is_write))
		mpt_stat_inc(&dom->stats.unhandled);
	if (!is_write) {
		req->data = 0;
		memcpy(&req->data, buf, req->size);
	}
}

/* Handle @req, a private copy; for a read, req->data is the answer. */
static void handle(struct mpt_xen_dom *dom, ioreq_t *req)
{
	bool is_write = req->dir == IOREQ_WRITE;
	u8 buf[8];

	switch (req->type) {
	case IOREQ_TYPE_INVALIDATE:
		mpt_stat_inc(&dom->stats.invalidates);
		xen_cache_flush(dom);
		return;
	case IOREQ_TYPE_TIMEOFFSET:
		return;
	case IOREQ_TYPE_PCI_CONFIG:
		pci_config(dom, req);
		return;
	case IOREQ_TYPE_PIO:
	case IOREQ_TYPE_COPY:
		break;
	default:
		mpt_stat_inc(&dom->stats.refused);
		req->data = ~0ULL;
		return;
	}
	if (!good_size(req->size) || req->count > XEN_MAX_REP ||
	    (!req->data_is_ptr && req->count != 1)) {
		mpt_stat_inc(&dom->stats.refused);
		if (!req->data_is_ptr)
			req->data = ~0ULL;
		return;
	}
	if (req->data_is_ptr) {
		access_rep(dom, req);
		return;
	}
	memcpy(buf, &req->data, sizeof(buf));
	access_one(dom, req->type, req->addr, buf, req->size, is_write);
	if (!is_write) {
		req->data = 0;
		memcpy(&req->data, buf, req->size);
	}
}

static void serve_vcpu(struct mpt_xen_dom *dom, unsigned int v)
{
	volatile ioreq_t *slot = &dom->iopage->vcpu_ioreq[v];
	ioreq_t req;

	if (slot->state != STATE_IOREQ_READY)
		return;
	/* Pairs with Xen's write barrier before it set READY. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	memcpy(&req, (const void *)slot, sizeof(req));
	slot->state = STATE_IOREQ_INPROCESS;
	handle(dom, &req);
	if (req.dir == IOREQ_READ && !req.data_is_ptr)
		slot->data = req.data;
	/* The data before the state: Xen reads data once it sees RESP. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	slot->state = STATE_IORESP_READY;
	mpt_stat_inc(&dom->stats.ioreqs);
	xenevtchn_notify(dom->xce, dom->ports[v]);
}

static void serve_port(struct mpt_xen_dom *dom, evtchn_port_t port)
{
	unsigned int v;

	for (v = 0; v < dom->nr_vcpus; v++) {
		if (dom->bound[v] && dom->ports[v] == port) {
			serve_vcpu(dom, v);
			return;
		}
	}
}

static void *ioreq_thread(void *arg)
{
	struct mpt_xen_dom *dom = arg;
	struct pollfd pfd[2] = {
		{ .fd = xenevtchn_fd(dom->xce), .events = POLLIN },
		{ .fd = dom->stop_pipe[0], .events = POLLIN },
	};
	xenevtchn_port_or_error_t port;
	unsigned int v;

	/* Requests made before we were listening. */
	for (v = 0; v < dom->nr_vcpus; v++)
		serve_vcpu(dom, v);
	while (!__atomic_load_n(&dom->stop, __ATOMIC_ACQUIRE)) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			mpt_err("xen: ioreq thread: poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents)
			break;
		if (!(pfd[0].revents & POLLIN))
			continue;
		port = xenevtchn_pending(dom->xce);
		if (port < 0)
			continue;
		xenevtchn_unmask(dom->xce, (evtchn_port_t)port);
		serve_port(dom, (evtchn_port_t)port);
	}
	return NULL;
}

static void unbind_all(struct mpt_xen_dom *dom)
{
	unsigned int v;

	for (v = 0; v < dom->nr_vcpus; v++) {
		if (dom->bound[v])
			xenevtchn_unbind(dom->xce, dom->ports[v]);
		dom->bound[v] = false;
	}
}

static int bind_all(struct mpt_xen_dom *dom)
{
	unsigned int v;

	for (v = 0; v < dom->nr_vcpus; v++) {
		u32 remote = dom->iopage->vcpu_ioreq[v].vp_eport;
		xenevtchn_port_or_error_t p;

		p = xenevtchn_bind_interdomain(dom->xce, dom->domid, remote);
		if (p < 0) {
			int e = errno;

			mpt_err("xen: domain %u: bind vCPU %u's event channel"
				" %u: %s", dom->domid, v, remote, strerror(e));
			unbind_all(dom);
			return e ? -e : -EIO;
		}
		dom->ports[v] = (evtchn_port_t)p;
		dom->bound[v] = true;
	}
	return 0;
}

int xen_ioreq_start(struct mpt_xen_dom *dom)
{
	int ret;

	if (xendevicemodel_set_ioreq_server_state(dom->dm, dom->domid,
						  dom->server, 1)) {
		ret = errno ? -errno : -EIO;
		mpt_err("xen: domain %u: enable the ioreq server: %s",
			dom->domid, strerror(-ret));
		return ret;
	}
	/* The event channel ports are valid once the server is enabled. */
	ret = bind_all(dom);
	if (ret)
		goto err_disable;
	if (pipe(dom->stop_pipe)) {
		ret = -errno;
		goto err_unbind;
	}
	__atomic_store_n(&dom->stop, false, __ATOMIC_RELEASE);
	ret = -pthread_create(&dom->thread, NULL, ioreq_thread, dom);
	if (ret)
		goto err_pipe;
	dom->running = true;
	return 0;

err_pipe:
	close(dom->stop_pipe[0]);
	close(dom->stop_pipe[1]);
	dom->stop_pipe[0] = dom->stop_pipe[1] = -1;
err_unbind:
	unbind_all(dom);
err_disable:
	xendevicemodel_set_ioreq_server_state(dom->dm, dom->domid, dom->server,
					      0);
	return ret;
}

void xen_ioreq_stop(struct mpt_xen_dom *dom)
{
	char c = 1;

	__atomic_store_n(&dom->stop, true, __ATOMIC_RELEASE);
	if (write(dom->stop_pipe[1], &c, 1) != 1)
		mpt_warn("xen: cannot wake the ioreq thread");
	pthread_join(dom->thread, NULL);
	dom->running = false;
	close(dom->stop_pipe[0]);
	close(dom->stop_pipe[1]);
	dom->stop_pipe[0] = dom->stop_pipe[1] = -1;
	xendevicemodel_set_ioreq_server_state(dom->dm, dom->domid, dom->server,
					      0);
	unbind_all(dom);
}
