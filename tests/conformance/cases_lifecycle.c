// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: the ops table itself, attach and detach.
 */
#include <stdio.h>
#include <string.h>

#include "conformance.h"
#include "tap.h"

/* The end of the ops table as ABI 1.0 defined it. */
#define CONF_OPS_SIZE_V1_0                                        \
	(__builtin_offsetof(struct mpt_backend_ops, unmap_frames) + \
	 sizeof(((struct mpt_backend_ops *)0)->unmap_frames))

static void case_abi(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	struct mpt_backend *again = NULL;
	char have[256] = "";
	int ret;

	is_int(ops->abi_version >> 16, MPT_BACKEND_ABI_MAJOR,
	       "abi_version has the core's major number");
	ok((ops->abi_version & 0xffff) <= MPT_BACKEND_ABI_MINOR,
	   "abi_version minor %u is one the core knows (<= %u)",
	   ops->abi_version & 0xffff, MPT_BACKEND_ABI_MINOR);
	ok(ops->size >= CONF_OPS_SIZE_V1_0 &&
		   ops->size <= sizeof(struct mpt_backend_ops),
	   "size %u covers ABI 1.0 (%zu) and no more than the core knows",
	   ops->size, (size_t)CONF_OPS_SIZE_V1_0);
	ok(ops->name && *ops->name, "name is set (%s)",
	   ops->name ? ops->name : "NULL");
	ok(ops->attach && ops->detach && ops->inject_msi && ops->read_gpa &&
		   ops->write_gpa,
	   "the mandatory ops are implemented");
	ok(!ops->enable_page_track == !ops->disable_page_track,
	   "enable/disable_page_track come as a pair");
	ok(!ops->dma_map == !ops->dma_unmap, "dma_map/unmap come as a pair");
	ok(!ops->claim_trap_area == !ops->release_trap_area,
	   "claim/release_trap_area come as a pair");
	ok(!ops->map_frames == !ops->unmap_frames,
	   "map/unmap_frames come as a pair");
	ok(mpt_backend_name(c->be) && *mpt_backend_name(c->be),
	   "the backend is registered under a name");

	/* The table the suite calls through is one the core accepts. */
	ret = mpt_backend_register(ops, "mpt-conf-abi", NULL, &again);
	is_int(ret, 0, "the ops table passes the core's validation");
	if (!ret)
		is_int(mpt_backend_unregister(again), 0,
		       "and unregisters again");

	snprintf(have, sizeof(have), "%s%s%s%s%s%s",
		 ops->enable_page_track ? " page_track" : "",
		 ops->gfn_to_pfn ? " gfn_to_pfn" : "",
		 ops->dma_map ? " dma_map" : "",
		 ops->is_valid_gfn ? " is_valid_gfn" : "",
		 ops->claim_trap_area ? " trap_area" : "",
		 ops->map_frames ? " map_frames" : "");
	conf_note("optional ops implemented:%s", *have ? have : " none");
}

static void case_attach(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	struct conf_world w;
	void *ha, *hb, *h = NULL;
	int ret;

	if (conf_world_init(c, &w, 3, MPT_VDEV_CREATED))
		return;
	is_int(mpt_vdev_attach(w.v[0], NULL), -EINVAL,
	       "attaching to a NULL guest is -EINVAL");
	is_int(mpt_vdev_state(w.v[0]), MPT_VDEV_CREATED,
	       "and leaves the instance CREATED");
	ok(!conf_handle(&w, 0), "and without a handle");

	is_int(mpt_vdev_attach(w.v[0], w.guest), 0, "attach to the guest");
	ha = conf_handle(&w, 0);
	ok(ha != NULL, "attach returned a handle");
	is_int(mpt_vdev_attach(w.v[1], w.guest), 0,
	       "a second instance attaches to the same guest");
	hb = conf_handle(&w, 1);
	ok(hb && hb != ha, "with a handle of its own");

	/* The op itself, for an instance the core has not attached. */
	ret = ops->attach(c->be, NULL, w.v[2], &h);
	is_int(ret, -EINVAL, "op attach refuses a NULL guest with -EINVAL");
	if (!ret)
		ops->detach(h);
	h = NULL;
	ret = ops->attach(c->be, w.guest, w.v[2], &h);
	is_int(ret, 0, "op attach accepts the guest");
	ok(h && h != ha && h != hb, "op attach returned a new handle");
	if (!ret)
		ops->detach(h);
	conf_check_breaches(&w, "attach and detach through the op");
	conf_world_fini(&w);
}

static void case_reattach(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u64 gpa = CONF_R2_GPA + 0x5000;
	u8 in[64], out[64];
	struct conf_world w;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	conf_fill(in, sizeof(in), 1);
	is_int(ops->write_gpa(conf_handle(&w, 0), gpa, in, sizeof(in)), 0,
	       "write_gpa before detach");
	is_int(mpt_vdev_detach(w.v[0]), 0, "detach");
	is_int(mpt_vdev_state(w.v[0]), MPT_VDEV_DETACHED, "instance DETACHED");
	ok(!conf_handle(&w, 0), "no handle once detached");
	conf_check_breaches(&w, "detach");

	is_int(mpt_vdev_attach(w.v[0], w.guest), 0, "attach again");
	h = conf_handle(&w, 0);
	ok(h != NULL, "a handle again");
	memset(out, 0, sizeof(out));
	is_int(h ? ops->read_gpa(h, gpa, out, sizeof(out)) : -1, 0,
	       "read_gpa through the new handle");
	ok(!memcmp(in, out, sizeof(in)),
	   "guest memory outlived the detached handle");
	is_int(mpt_vdev_activate(w.v[0]), 0, "activate again");
	conf_world_fini(&w);
}

/* Counts the bytes delivered: a store may come in several pieces. */
static void track_nop(struct mpt_vdev *vdev, u64 gpa, const void *data,
		      unsigned int len, void *opaque)
{
	unsigned int *bytes = opaque;

	(void)vdev;
	(void)gpa;
	(void)data;
	*bytes += len;
}

/* The instance gives back what it took, then detaches. */
static void case_detach_clean(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u64 gfn = MPT_GPA_TO_GFN(CONF_R2_GPA) + 3, dma = 0;
	struct mpt_trap_area area = { MPT_SPACE_MMIO, 0, CONF_MMIO_BASE,
				      0x1000 };
	unsigned int bytes = 0;
	struct conf_world w;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	h = conf_handle(&w, 0);
	if (ops->claim_trap_area) {
		is_int(ops->claim_trap_area(h, &area), 0, "claim an area");
		ops->release_trap_area(h, &area);
	}
	if (ops->enable_page_track) {
		is_int(mpt_page_track_add(w.v[0], gfn, track_nop, &bytes), 0,
		       "track a page");
		is_int(mpt_page_track_remove(w.v[0], gfn, track_nop, &bytes),
		       0, "stop tracking it");
	}
	if (ops->dma_map) {
		is_int(mpt_dma_map(w.v[0], gfn, MPT_DMA_SIZE_4K, &dma), 0,
		       "map a page for DMA");
		is_int(mpt_dma_unmap(w.v[0], dma), 0, "unmap it");
	}
	conf_bar_decode(w.v[0], CONF_MMIO_BASE);
	conf_bar_decode(w.v[0], 0);
	is_int(mpt_vdev_deactivate(w.v[0]), 0, "deactivate");
	is_int(mpt_vdev_detach(w.v[0]), 0, "detach");
	conf_check_breaches(&w, "detach after everything was released");
	conf_world_fini(&w);
}

/*
 * The instance detaches while holding a decoded BAR, a page track and a
 * DMA mapping: the core gives them back first, and the backend really
 * forgets them (another instance can take the same area and page).
 */
static void case_detach_core_releases(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	const struct mpt_conf_target *t = c->target;
	u64 gfn = MPT_GPA_TO_GFN(CONF_R2_GPA) + 7, dma = 0;
	unsigned int bytes_a = 0, bytes_b = 0, seen;
	struct mpt_vdev_stats st;
	struct conf_world w;
	u8 buf[4] = { 1, 2, 3, 4 };
	u32 val = 0;

	if (conf_world_init(c, &w, 2, MPT_VDEV_ACTIVE))
		return;
	conf_bar_decode(w.v[0], CONF_MMIO_BASE);
	if (ops->enable_page_track)
		is_int(mpt_page_track_add(w.v[0], gfn, track_nop, &bytes_a), 0,
		       "instance A tracks a page");
	if (ops->dma_map)
		is_int(mpt_dma_map(w.v[0], gfn, MPT_DMA_SIZE_4K, &dma), 0,
		       "instance A maps it for DMA");
	is_int(mpt_vdev_detach(w.v[0]), 0, "A detaches holding all three");
	conf_check_breaches(&w, "detach with claims, tracks and mappings");
	mpt_vdev_get_stats(w.v[0], &st);
	is_int(st.dma_leaked, ops->dma_map ? 1 : 0,
	       "the core counted the mapping it had to drop");

	seen = to_conf_dev(w.v[0])->accesses;
	if (t->guest_mmio) {
		conf_guest_mmio(&w, MPT_SPACE_MMIO, CONF_MMIO_BASE + 0x10, &val,
				4, false);
		is_int(to_conf_dev(w.v[0])->accesses, seen,
		       "the detached instance's BAR is no longer routed");
	}
	conf_bar_decode(w.v[1], CONF_MMIO_BASE);
	mpt_vdev_get_stats(w.v[1], &st);
	is_int(st.bar_claim_errors, 0,
	       "instance B claims the address A's BAR had");
	if (t->guest_mmio) {
		is_int(conf_guest_mmio(&w, MPT_SPACE_MMIO,
				       CONF_MMIO_BASE + 0x10, &val, 4, false),
		       0, "a guest load there succeeds");
		is_int(to_conf_dev(w.v[1])->accesses, 1, "and reaches B");
	}
	if (ops->enable_page_track) {
		is_int(mpt_page_track_add(w.v[1], gfn, track_nop, &bytes_b), 0,
		       "instance B tracks the page A tracked");
		if (t->guest_write) {
			is_int(conf_guest_write(&w, MPT_GFN_TO_GPA(gfn), buf,
						sizeof(buf)),
			       0, "a guest store to the page");
			is_int(bytes_b, sizeof(buf),
			       "a guest store's bytes all reach B");
			is_int(bytes_a, 0, "and none the detached A");
		}
	}
	conf_world_fini(&w);
}

/*
 * Pass-through frames are guest mappings of host memory, like DMA
 * mappings: they must not outlive the instance that made them.
 */
static void case_detach_frames(struct mpt_conf *c)
{
	const struct mpt_conf_target *t = c->target;
	u64 gfn = MPT_GPA_TO_GFN(CONF_MMIO_BASE) + 0x100, pfn = 0, nr = 0;
	struct conf_world w;
	int ret;

	if (!c->ops->map_frames) {
		conf_skip("frames at detach", "backend has no map_frames");
		return;
	}
	if (!t->host_frames || t->host_frames(c->ctx, &pfn, &nr) || nr < 4) {
		conf_skip("frames at detach", "target offers no host frames");
		return;
	}
	if (!t->violations) {
		conf_skip("frames at detach",
			  "target cannot tell what is left at detach");
		return;
	}
	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	ret = mpt_map_frames(w.v[0], gfn, pfn, 4);
	if (ret == -EOPNOTSUPP) {
		conf_skip("frames at detach", "map_frames is -EOPNOTSUPP");
	} else {
		is_int(ret, 0, "map 4 frames through the core");
		is_int(mpt_vdev_detach(w.v[0]), 0,
		       "detach without unmapping them");
		conf_check_breaches(&w, "detach with frames mapped");
	}
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_lifecycle[] = {
	{ "ops: ABI version, size, name and op pairs are set", case_abi },
	{ "attach: returns a handle; a NULL guest is -EINVAL", case_attach },
	{ "attach: a detached instance attaches again", case_reattach },
	{ "detach: nothing left after the instance released everything",
	  case_detach_clean },
	{ "detach: the core releases BARs, tracks and DMA mappings first",
	  case_detach_core_releases },
	{ "detach: pass-through frames do not outlive the instance",
	  case_detach_frames },
	{ NULL, NULL },
};
