// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The conformance target for the in-kernel KVM backend "kvmgt" of
 * mpt_mdev.ko.  Kernel only: it is part of mpt_conf_kvmgt.ko
 * (tests/kernel/conf_kvmgt.kbuild), whose main() this is, run when the
 * module's agent asks (tests/kernel/conf_kvmgt_main.c).
 *
 * The backend's guest is the VFIO device of an open mpt_mdev whose group
 * a VMM linked to a KVM VM, with the VM's RAM mapped into the device's
 * container at iova = guest-physical address.  The agent
 * (tests/kernel/conf_kvmgt_agent.c) is that VMM: it made a few such guests
 * with the suite's layout, and this target hands them out:
 *
 * - guest_create: a guest nobody uses (the next in turn, so that the
 *   cases run on every VM), its RAM zeroed by the agent; the attach
 *   argument is its struct vfio_device;
 * - guest_read, guest_write: the agent's vCPU loads or stores (rep movsb
 *   through a buffer of the agent's own memslot; a store of 1, 2, 4 or 8
 *   bytes is one mov, or one MMX movq).  KVM's page tracking sees those
 *   stores as a real guest's, and the backend delivers what it reports;
 * - no guest_mmio: with VFIO the VMM routes the BARs, not the backend;
 * - no msi_count/msi_get: the backend signals the eventfds the agent set
 *   with VFIO_DEVICE_SET_IRQS, which carry no address or data (the agent
 *   counts the signals and reports them after the run);
 * - no host_frames, no violations: the backend has no map_frames and no
 *   contract checker of its own.
 *
 * How tracked stores arrive: KVM emulates a store to a write-tracked page
 * one access fragment at a time (at most 8 bytes, never crossing a page:
 * each byte of a rep movsb, each page's part of a straddling movq) and
 * calls the page-track notifier for each, so track_piece_max is 8.
 *
 * The backend is mpt_mdev.ko's registration, borrowed: teardown does not
 * unregister it, it checks that the suite left no instance on it (the
 * mdevs' own instances stay).
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include <mpt/kvmgt.h>

#include "conformance.h"
#include "core/mpt_core.h"
#include "conf_kvmgt.h"
#include "tap.h"

struct kvmgt_target {
	struct mpt_backend *be;
	unsigned int baseline; /* the backend's instances before the suite */
	const struct conf_kvmgt_guests *guests;
	bool in_use[CONF_KVMGT_MAX_GUESTS];
	unsigned int last; /* the guest handed out last */
};

static struct kvmgt_target kvmgt_target_state;

static int kvmgt_setup(void **ctx, struct mpt_backend **be,
		       const struct mpt_backend_ops **ops)
{
	struct kvmgt_target *t = &kvmgt_target_state;

	memset(t, 0, sizeof(*t));
	t->be = mpt_kvmgt_backend();
	t->guests = conf_kvmgt_guests();
	if (!t->be || !t->guests->nr)
		return -ENODEV;
	t->baseline = t->be->nr_instances;
	*ctx = t;
	*be = t->be;
	*ops = mpt_kvmgt_ops();
	return 0;
}

static int kvmgt_teardown(void *ctx)
{
	struct kvmgt_target *t = ctx;

	if (t->be->nr_instances > t->baseline) {
		mpt_err("backend '%s' still has %u instances of the suite",
			mpt_backend_name(t->be),
			t->be->nr_instances - t->baseline);
		return -EBUSY;
	}
	return 0;
}

/* The index of @guest among the agent's guests, or -1. */
static int guest_index(struct kvmgt_target *t, void *guest)
{
	unsigned int i;

	for (i = 0; i < t->guests->nr; i++)
		if (t->guests->dev[i] == guest)
			return i;
	return -1;
}

static bool same_layout(const struct conf_kvmgt_guests *g,
			const struct mpt_conf_layout *layout)
{
	unsigned int i;

	if (layout->nr != g->nr_regions)
		return false;
	for (i = 0; i < layout->nr; i++)
		if (layout->regions[i].gpa != g->regions[i].gpa ||
		    layout->regions[i].size != g->regions[i].size)
			return false;
	return true;
}

static void *kvmgt_guest_create(void *ctx, const struct mpt_conf_layout *layout)
{
	struct kvmgt_target *t = ctx;
	unsigned int n = t->guests->nr, i, k;
	int ret;

	if (!same_layout(t->guests, layout)) {
		diag("kvmgt target: the agent's guests have another layout");
		return NULL;
	}
	/* Round robin, so that the cases run on every VM of the agent. */
	for (k = 1; k <= n; k++) {
		i = (t->last + k) % n;
		if (!t->in_use[i])
			break;
	}
	if (k > n) {
		diag("kvmgt target: all %u guests of the agent are in use", n);
		return NULL;
	}
	ret = conf_kvmgt_request(CONF_KVMGT_RESET, i, 0, NULL, 0);
	if (ret) {
		diag("kvmgt target: the agent cannot reset guest %u: %d", i,
		     ret);
		return NULL;
	}
	t->in_use[i] = true;
	t->last = i;
	return t->guests->dev[i];
}

static void kvmgt_guest_destroy(void *ctx, void *guest)
{
	struct kvmgt_target *t = ctx;
	int i = guest_index(t, guest);

	if (i >= 0)
		t->in_use[i] = false;
}

/* Whether [@gpa, @gpa + @len) is all RAM of the agent's layout. */
static bool is_ram(const struct conf_kvmgt_guests *g, u64 gpa, u64 len)
{
	unsigned int i;

	while (len) {
		for (i = 0; i < g->nr_regions; i++)
			if (gpa - g->regions[i].gpa < g->regions[i].size)
				break;
		if (i == g->nr_regions)
			return false;
		if (len <= g->regions[i].gpa + g->regions[i].size - gpa)
			return true;
		len -= g->regions[i].gpa + g->regions[i].size - gpa;
		gpa = g->regions[i].gpa + g->regions[i].size;
	}
	return true;
}

/*
 * A load or store by the guest's CPU, in requests the agent takes; the
 * whole range is checked first, so that a store that is not all RAM
 * stores nothing.  A store of 8 bytes or less is one request: the agent
 * makes it one instruction when it can.
 */
static int kvmgt_guest_access(struct kvmgt_target *t, void *guest,
			      unsigned int op, u64 gpa, u8 *buf, size_t len)
{
	int i = guest_index(t, guest), ret;

	if (i < 0)
		return -EINVAL;
	if (gpa + len < gpa || !is_ram(t->guests, gpa, len))
		return -EFAULT;
	while (len) {
		size_t n = min_t(size_t, len, CONF_KVMGT_CHUNK);

		ret = conf_kvmgt_request(op, i, gpa, buf, n);
		if (ret)
			return ret;
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static int kvmgt_guest_read(void *ctx, void *guest, u64 gpa, void *buf,
			    size_t len)
{
	return kvmgt_guest_access(ctx, guest, CONF_KVMGT_READ, gpa, buf, len);
}

static int kvmgt_guest_write(void *ctx, void *guest, u64 gpa,
			     const void *data, size_t len)
{
	return kvmgt_guest_access(ctx, guest, CONF_KVMGT_WRITE, gpa,
				  (u8 *)data, len);
}

static const struct mpt_conf_target kvmgt_conf_target = {
	.name = "kvmgt",
	.setup = kvmgt_setup,
	.teardown = kvmgt_teardown,
	.guest_create = kvmgt_guest_create,
	.guest_destroy = kvmgt_guest_destroy,
	.guest_read = kvmgt_guest_read,
	.guest_write = kvmgt_guest_write,
	.track_piece_max = 8, /* one delivery per access fragment: see the top */
};

int main(int argc, char **argv)
{
	return mpt_conf_main(&kvmgt_conf_target, argc, argv);
}
