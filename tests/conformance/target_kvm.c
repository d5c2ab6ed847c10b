// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The conformance target for the KVM backend, and the program that runs
 * the suite over it on a real KVM VM:
 *
 *	conformance-kvm                TAP, for prove
 *	conformance-kvm --report       one line per case and a summary
 *
 * Each guest is a KVM VM with the suite's RAM layout and one vCPU
 * (tests/kvm/vmstub.c).  The guest's CPU really makes the accesses:
 *
 * - guest_read: the vCPU copies the range with rep movsb into a buffer of
 *   the harness's own memslot outside the layout;
 * - guest_write: a store of 1, 2, 4 or 8 bytes is one mov (MMX movq for 8),
 *   anything else a rep movsb from that buffer.  Stores to tracked pages
 *   exit from their read-only memslot and the backend delivers them;
 * - guest_mmio: one mov of 1, 2 or 4 bytes (MMX movq for 8) or one in/out,
 *   and the exit goes through mpt_kvm_handle_mmio()/_pio() as in a VMM.
 *
 * How tracked stores arrive: KVM exits once per access fragment, at most
 * 8 bytes and never crossing a page (each byte of a rep movsb, each page's
 * part of a straddling movq), and the backend delivers each exit as it
 * comes, as KVM's own page-track notifier does.  So a 7-byte or a
 * whole-page store reaches the handlers as several writes of their bytes
 * in order; track_piece_max tells the suite to expect that.
 *
 * MSIs: msi_count/msi_get report what the backend handed to KVM (an irqfd
 * signalled or KVM_SIGNAL_MSI accepted), recorded by the backend's test
 * observer hook.  The suite's MSIs name destinations a one-vCPU guest does
 * not have, so the guest's LAPIC could not show them; t_kvm_backend checks
 * in-guest delivery for a destination that exists.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "conformance.h"
#include "tests/kvm/vmstub.h"

/* The backend's own ops table (mpt_kvm_ops) and test hooks. */
#include "backends/kvmgt/user/kvm_priv.h"

#define MAX_GUESTS 4
#define MSI_LOG 4096
#define HOST_FRAMES 16

struct kvm_guest {
	struct vmstub s;
	pthread_mutex_t msi_lock;
	unsigned int msi_nr;
	struct {
		u64 addr;
		u32 data;
	} msi[MSI_LOG];
};

struct kvm_target {
	struct mpt_backend *be;
	struct kvm_guest *guests[MAX_GUESTS];
	void *frames;
};

static struct kvm_target kvm_target_state;

/* The attach argument is the backend's VM; find the harness around it. */
static struct kvm_guest *guest_of(void *ctx, void *guest)
{
	struct kvm_target *t = ctx;
	unsigned int i;

	for (i = 0; i < MAX_GUESTS; i++)
		if (t->guests[i] && t->guests[i]->s.vm == guest)
			return t->guests[i];
	return NULL;
}

static int kvm_setup(void **ctx, struct mpt_backend **be,
		     const struct mpt_backend_ops **ops)
{
	struct kvm_target *t = &kvm_target_state;
	int ret;

	t->frames = mmap(NULL, HOST_FRAMES * MPT_PAGE_SIZE,
			 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	if (t->frames == MAP_FAILED)
		return -ENOMEM;
	ret = mpt_kvm_register(NULL, &t->be);
	if (ret)
		return ret;
	*ctx = t;
	*be = t->be;
	*ops = &mpt_kvm_ops;
	return 0;
}

static int kvm_teardown(void *ctx)
{
	struct kvm_target *t = ctx;

	munmap(t->frames, HOST_FRAMES * MPT_PAGE_SIZE);
	return mpt_backend_unregister(t->be);
}

static void record_msi(void *arg, u64 addr, u32 data)
{
	struct kvm_guest *g = arg;

	pthread_mutex_lock(&g->msi_lock);
	g->msi[g->msi_nr % MSI_LOG].addr = addr;
	g->msi[g->msi_nr % MSI_LOG].data = data;
	g->msi_nr++;
	pthread_mutex_unlock(&g->msi_lock);
}

static void *kvm_guest_create(void *ctx, const struct mpt_conf_layout *layout)
{
	struct kvm_target *t = ctx;
	u64 gpa[VMSTUB_MAX_REGIONS], size[VMSTUB_MAX_REGIONS];
	struct kvm_guest *g;
	unsigned int i, slot;
	int ret;

	if (layout->nr > VMSTUB_MAX_REGIONS)
		return NULL;
	for (slot = 0; slot < MAX_GUESTS && t->guests[slot]; slot++)
		;
	if (slot == MAX_GUESTS)
		return NULL;
	for (i = 0; i < layout->nr; i++) {
		gpa[i] = layout->regions[i].gpa;
		size[i] = layout->regions[i].size;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	ret = vmstub_create(&g->s, gpa, size, layout->nr);
	if (ret) {
		fprintf(stderr, "kvm target: cannot make a VM: %d\n", ret);
		free(g);
		return NULL;
	}
	pthread_mutex_init(&g->msi_lock, NULL);
	kvm_test_set_msi_observer(g->s.vm, record_msi, g);
	t->guests[slot] = g;
	return g->s.vm;
}

static void kvm_guest_destroy(void *ctx, void *guest)
{
	struct kvm_target *t = ctx;
	struct kvm_guest *g = guest_of(ctx, guest);
	unsigned int i;

	if (!g)
		return;
	for (i = 0; i < MAX_GUESTS; i++)
		if (t->guests[i] == g)
			t->guests[i] = NULL;
	vmstub_destroy(&g->s);
	pthread_mutex_destroy(&g->msi_lock);
	free(g);
}

static int kvm_guest_read(void *ctx, void *guest, u64 gpa, void *buf,
			  size_t len)
{
	return vmstub_read(&guest_of(ctx, guest)->s, gpa, buf, len);
}

/*
 * One mov when the size is one an instruction stores at once, so that a
 * store straddling two pages is one access KVM splits; rep movsb otherwise.
 */
static int kvm_guest_write(void *ctx, void *guest, u64 gpa, const void *data,
			   size_t len)
{
	struct vmstub *s = &guest_of(ctx, guest)->s;
	u8 buf[8];

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return vmstub_write(s, gpa, data, len);
	if (!vmstub_is_ram(s, gpa, len))
		return -EFAULT;
	memcpy(buf, data, len);
	return vmstub_access(s, MPT_SPACE_MMIO, gpa, buf, (unsigned int)len,
			     true);
}

static int kvm_guest_mmio(void *ctx, void *guest, enum mpt_space space,
			  u64 addr, void *data, unsigned int len, bool is_write)
{
	return vmstub_access(&guest_of(ctx, guest)->s, space, addr, data, len,
			     is_write);
}

static unsigned int kvm_msi_count(void *ctx, void *guest)
{
	struct kvm_guest *g = guest_of(ctx, guest);
	unsigned int n;

	pthread_mutex_lock(&g->msi_lock);
	n = g->msi_nr;
	pthread_mutex_unlock(&g->msi_lock);
	return n;
}

static int kvm_msi_get(void *ctx, void *guest, unsigned int i, u64 *addr,
		       u32 *data)
{
	struct kvm_guest *g = guest_of(ctx, guest);
	int ret = -ENOENT;

	pthread_mutex_lock(&g->msi_lock);
	if (i < g->msi_nr && g->msi_nr - i <= MSI_LOG) {
		*addr = g->msi[i % MSI_LOG].addr;
		*data = g->msi[i % MSI_LOG].data;
		ret = 0;
	}
	pthread_mutex_unlock(&g->msi_lock);
	return ret;
}

/* Pages of this process the suite may pass through (map_frames). */
static int kvm_host_frames(void *ctx, u64 *pfn, u64 *nr)
{
	struct kvm_target *t = ctx;

	*pfn = (u64)(uintptr_t)t->frames >> MPT_PAGE_SHIFT;
	*nr = HOST_FRAMES;
	return 0;
}

static unsigned int kvm_violations(void *ctx, void *guest)
{
	(void)ctx;
	return kvm_test_violations(guest);
}

static const struct mpt_conf_target kvm_conf_target = {
	.name = "kvm-user",
	.setup = kvm_setup,
	.teardown = kvm_teardown,
	.guest_create = kvm_guest_create,
	.guest_destroy = kvm_guest_destroy,
	.guest_read = kvm_guest_read,
	.guest_write = kvm_guest_write,
	.track_piece_max = 8, /* one delivery per CPU access: see the top */
	.guest_mmio = kvm_guest_mmio,
	.msi_count = kvm_msi_count,
	.msi_get = kvm_msi_get,
	.host_frames = kvm_host_frames,
	.violations = kvm_violations,
};

int main(int argc, char **argv)
{
	const char *why;
	int i, j;

	/* --cpu-stores once turned guest_write on; it is the default now. */
	for (i = j = 1; i < argc; i++)
		if (strcmp(argv[i], "--cpu-stores"))
			argv[j++] = argv[i];
	argc = j;
	if (!vmstub_kvm_usable(&why)) {
		printf("1..0 # SKIP %s\n", why);
		return 0;
	}
	return mpt_conf_main(&kvm_conf_target, argc, argv);
}
