// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: guest frames.  gfn_to_pfn, dma_map/dma_unmap,
 * is_valid_gfn and map_frames/unmap_frames.
 */
#include <string.h>

#include "conformance.h"
#include "tap.h"

#define GFN(gpa) MPT_GPA_TO_GFN(gpa)

/* A gfn one past the 52-bit guest-physical space: no RAM can be there. */
#define GFN_LIMIT (1ULL << (64 - MPT_PAGE_SHIFT))

/* Make sure the pages exist on the host: store something to them. */
static void populate(struct conf_world *w, u64 gpa, u64 len)
{
	u8 byte = 0xa5;
	u64 off;

	for (off = 0; off < len; off += MPT_PAGE_SIZE)
		w->c->ops->write_gpa(conf_handle(w, 0), gpa + off, &byte, 1);
}

static void case_gfn_to_pfn(struct mpt_conf *c)
{
	static const struct {
		u64 gpa;
		const char *what;
	} ram[] = {
		{ CONF_R0_GPA, "the first page of R0" },
		{ CONF_R1_GPA - MPT_PAGE_SIZE, "the last page of R0" },
		{ CONF_R1_GPA, "the first page of R1" },
		{ CONF_HOLE_GPA - MPT_PAGE_SIZE, "the last page of R1" },
		{ CONF_R2_GPA, "the first page of R2" },
		{ CONF_RAM_END - MPT_PAGE_SIZE, "the last page of R2" },
	}, hole[] = {
		{ CONF_HOLE_GPA, "the hole's first page" },
		{ CONF_R2_GPA - MPT_PAGE_SIZE, "the hole's last page" },
		{ CONF_RAM_END, "the page after guest RAM" },
	};
	const struct mpt_backend_ops *ops = c->ops;
	u64 pfn[CONF_ARRAY_SIZE(ram)], again, core;
	struct conf_world w;
	unsigned int i, j;
	bool distinct = true;
	void *h;
	int ret;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!ops->gfn_to_pfn) {
		is_int(mpt_gfn_to_pfn(w.v[0], GFN(CONF_R2_GPA), &again),
		       -EOPNOTSUPP, "without the op the core says -EOPNOTSUPP");
		conf_skip("gfn_to_pfn", "backend has no gfn_to_pfn");
		goto out;
	}
	h = conf_handle(&w, 0);
	ret = ops->gfn_to_pfn(h, GFN(ram[0].gpa), &pfn[0]);
	if (ret == -EOPNOTSUPP) {
		conf_skip("gfn_to_pfn", "gfn_to_pfn is -EOPNOTSUPP");
		goto out;
	}
	for (i = 0; i < CONF_ARRAY_SIZE(ram); i++) {
		populate(&w, ram[i].gpa, MPT_PAGE_SIZE);
		is_int(ops->gfn_to_pfn(h, GFN(ram[i].gpa), &pfn[i]), 0,
		       "gfn_to_pfn of %s", ram[i].what);
		again = ~pfn[i];
		is_int(ops->gfn_to_pfn(h, GFN(ram[i].gpa), &again), 0,
		       "again");
		is_int(again, pfn[i], "the same frame both times");
		core = ~pfn[i];
		is_int(mpt_gfn_to_pfn(w.v[0], GFN(ram[i].gpa), &core), 0,
		       "mpt_gfn_to_pfn");
		is_int(core, pfn[i], "the core reports the backend's frame");
	}
	for (i = 0; i < CONF_ARRAY_SIZE(ram); i++)
		for (j = i + 1; j < CONF_ARRAY_SIZE(ram); j++)
			if (pfn[i] == pfn[j])
				distinct = false;
	ok(distinct, "different guest pages are backed by different frames");
	for (i = 0; i < CONF_ARRAY_SIZE(hole); i++)
		is_int(ops->gfn_to_pfn(h, GFN(hole[i].gpa), &again), -EFAULT,
		       "gfn_to_pfn of %s is -EFAULT", hole[i].what);
	is_int(mpt_gfn_to_pfn(w.v[0], GFN(CONF_HOLE_GPA), &again), -EFAULT,
	       "mpt_gfn_to_pfn of the hole is -EFAULT");
out:
	conf_world_fini(&w);
}

/* Whether the DMA cases can run. */
static bool can_dma(struct mpt_conf *c, struct conf_world *w,
		    const char *what)
{
	u64 addr;
	int ret;

	if (!c->ops->dma_map) {
		is_int(mpt_dma_map(w->v[0], GFN(CONF_R2_GPA), MPT_DMA_SIZE_4K,
				   &addr),
		       -EOPNOTSUPP, "%s: without the op the core says "
				    "-EOPNOTSUPP", what);
		conf_skip(what, "backend has no dma_map");
		return false;
	}
	ret = c->ops->dma_map(conf_handle(w, 0), GFN(CONF_R2_GPA),
			      MPT_DMA_SIZE_4K, &addr);
	if (ret == -EOPNOTSUPP) {
		conf_skip(what, "dma_map is -EOPNOTSUPP");
		return false;
	}
	if (!ret)
		c->ops->dma_unmap(conf_handle(w, 0), GFN(CONF_R2_GPA),
				  MPT_DMA_SIZE_4K, addr);
	return true;
}

struct dma_range {
	u64 gpa;
	u64 size;
	const char *what;
	u64 addr;
	int ret;
};

#define DMA(g, s, w) { .gpa = (g), .size = (s), .what = (w) }

static void case_dma_map(struct mpt_conf *c)
{
	struct dma_range r[] = {
		DMA(CONF_R0_GPA + 0x10000, MPT_DMA_SIZE_4K, "4K in R0"),
		DMA(CONF_R0_GPA + 0x11000, MPT_DMA_SIZE_4K, "the next 4K"),
		DMA(CONF_R0_GPA + 0x20000, MPT_DMA_SIZE_64K, "64K in R0"),
		DMA(CONF_R1_GPA + 0x100000, MPT_DMA_SIZE_64K, "64K in R1"),
		DMA(CONF_HOLE_GPA - MPT_PAGE_SIZE, MPT_DMA_SIZE_4K,
		    "R1's last page"),
		DMA(CONF_R0_GPA + 0x200000, MPT_DMA_SIZE_2M, "2M in R0"),
		DMA(CONF_R2_GPA, MPT_DMA_SIZE_2M, "2M at the start of R2"),
		DMA(CONF_RAM_END - MPT_DMA_SIZE_2M, MPT_DMA_SIZE_2M,
		    "2M at the end of R2"),
	};
	const struct mpt_backend_ops *ops = c->ops;
	struct dma_range same = DMA(CONF_R0_GPA + 0x10000, MPT_DMA_SIZE_64K,
				    "64K over the first 4K page");
	struct conf_world w;
	unsigned int i, j;
	bool apart = true;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!can_dma(c, &w, "dma_map"))
		goto out;
	h = conf_handle(&w, 0);
	for (i = 0; i < CONF_ARRAY_SIZE(r); i++) {
		r[i].ret = ops->dma_map(h, GFN(r[i].gpa), r[i].size,
					&r[i].addr);
		is_int(r[i].ret, 0, "dma_map of %s", r[i].what);
	}
	for (i = 0; i < CONF_ARRAY_SIZE(r); i++) {
		for (j = i + 1; j < CONF_ARRAY_SIZE(r); j++) {
			if (r[i].ret || r[j].ret)
				continue;
			if (r[i].addr < r[j].addr + r[j].size &&
			    r[j].addr < r[i].addr + r[i].size) {
				apart = false;
				diag("%s at %#llx overlaps %s at %#llx",
				     r[i].what,
				     (unsigned long long)r[i].addr,
				     r[j].what,
				     (unsigned long long)r[j].addr);
			}
		}
	}
	ok(apart, "distinct guest ranges get distinct, disjoint bus ranges");

	/* The same memory again with another size is a mapping of its own. */
	same.ret = ops->dma_map(h, GFN(same.gpa), same.size, &same.addr);
	is_int(same.ret, 0, "dma_map of %s already mapped as 4K", same.what);
	if (!same.ret)
		ops->dma_unmap(h, GFN(same.gpa), same.size, same.addr);
	for (i = 0; i < CONF_ARRAY_SIZE(r); i++)
		if (!r[i].ret)
			ops->dma_unmap(h, GFN(r[i].gpa), r[i].size, r[i].addr);
	conf_check_breaches(&w, "dma_unmap of every mapping");

	/* Unmapped ranges map again. */
	is_int(ops->dma_map(h, GFN(r[0].gpa), r[0].size, &r[0].addr), 0,
	       "dma_map again after dma_unmap");
	ops->dma_unmap(h, GFN(r[0].gpa), r[0].size, r[0].addr);
out:
	conf_world_fini(&w);
}

static void case_dma_hole(struct mpt_conf *c)
{
	static const struct {
		u64 gpa;
		u64 size;
		const char *what;
	} bad[] = {
		{ CONF_HOLE_GPA, MPT_DMA_SIZE_4K, "4K in the hole" },
		{ 16 * CONF_MIB, MPT_DMA_SIZE_64K, "64K in the hole" },
		{ 16 * CONF_MIB, MPT_DMA_SIZE_2M, "2M in the hole" },
		{ 16 * CONF_MIB - MPT_DMA_SIZE_64K, MPT_DMA_SIZE_64K,
		  "64K ending in the hole" },
		{ 14 * CONF_MIB, MPT_DMA_SIZE_2M, "2M ending in the hole" },
		{ CONF_RAM_END, MPT_DMA_SIZE_4K, "4K after guest RAM" },
	};
	const struct mpt_backend_ops *ops = c->ops;
	struct conf_world w;
	unsigned int i;
	u64 addr;
	int ret;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!can_dma(c, &w, "dma_map of the hole"))
		goto out;
	for (i = 0; i < CONF_ARRAY_SIZE(bad); i++) {
		ret = ops->dma_map(conf_handle(&w, 0), GFN(bad[i].gpa),
				   bad[i].size, &addr);
		is_int(ret, -EFAULT, "dma_map of %s is -EFAULT", bad[i].what);
		if (!ret)
			ops->dma_unmap(conf_handle(&w, 0), GFN(bad[i].gpa),
				       bad[i].size, addr);
	}
	is_int(mpt_dma_map(w.v[0], GFN(CONF_HOLE_GPA), MPT_DMA_SIZE_4K, &addr),
	       -EFAULT, "mpt_dma_map passes the backend's -EFAULT on");
out:
	conf_world_fini(&w);
}

/* All RAM, but in two adjacent regions: still guest RAM to map. */
static void case_dma_regions(struct mpt_conf *c)
{
	u64 gpa = CONF_R1_GPA & ~(MPT_DMA_SIZE_2M - 1), addr = 0;
	struct conf_world w;
	int ret;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!can_dma(c, &w, "dma_map across regions"))
		goto out;
	ret = c->ops->dma_map(conf_handle(&w, 0), GFN(gpa), MPT_DMA_SIZE_2M,
			      &addr);
	is_int(ret, 0, "dma_map of the 2M at %#llx, which is R0's end and "
		       "R1's start", (unsigned long long)gpa);
	if (!ret)
		c->ops->dma_unmap(conf_handle(&w, 0), GFN(gpa),
				  MPT_DMA_SIZE_2M, addr);
out:
	conf_world_fini(&w);
}

/* The core's cache over the backend: one backend mapping, refcounted. */
static void case_dma_core(struct mpt_conf *c)
{
	u64 gfn = GFN(CONF_R2_GPA) + 0x100, a = 0, b = 0, d = 0;
	struct mpt_vdev_stats st;
	struct conf_world w;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!can_dma(c, &w, "the core's DMA cache"))
		goto out;
	is_int(mpt_dma_map(w.v[0], gfn, MPT_DMA_SIZE_64K, &a), 0,
	       "mpt_dma_map");
	is_int(mpt_dma_map(w.v[0], gfn, MPT_DMA_SIZE_64K, &b), 0,
	       "mpt_dma_map of the same range");
	is_int(b, a, "the same bus address");
	is_int(mpt_dma_map(w.v[0], gfn + 16, MPT_DMA_SIZE_64K, &d), 0,
	       "mpt_dma_map of the next 64K");
	ok(d != a, "a different bus address");
	mpt_vdev_get_stats(w.v[0], &st);
	ok(st.dma_maps == 2 && st.dma_hits == 1,
	   "two backend mappings, one cache hit");
	is_int(mpt_dma_unmap(w.v[0], a), 0, "unmap one reference");
	is_int(mpt_dma_unmap(w.v[0], a), 0, "unmap the last reference");
	is_int(mpt_dma_unmap(w.v[0], a), -ENOENT, "then it is gone");
	is_int(mpt_dma_unmap(w.v[0], d), 0, "unmap the other");
	conf_check_breaches(&w, "backend sees one map and one unmap each");
out:
	conf_world_fini(&w);
}

static void case_is_valid_gfn(struct mpt_conf *c)
{
	static const u64 ram[] = {
		CONF_R0_GPA,
		CONF_R1_GPA - MPT_PAGE_SIZE,
		CONF_R1_GPA,
		CONF_HOLE_GPA - MPT_PAGE_SIZE,
		CONF_R2_GPA,
		CONF_R2_GPA + CONF_R2_SIZE / 2,
		CONF_RAM_END - MPT_PAGE_SIZE,
	};
	static const u64 hole[] = {
		CONF_HOLE_GPA,
		CONF_HOLE_GPA + CONF_HOLE_SIZE / 2,
		CONF_R2_GPA - MPT_PAGE_SIZE,
		CONF_RAM_END,
		CONF_MMIO_BASE,
	};
	const struct mpt_backend_ops *ops = c->ops;
	struct conf_world w;
	unsigned int i;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!ops->is_valid_gfn) {
		ok(mpt_is_valid_gfn(w.v[0], GFN(CONF_R0_GPA)) &&
			   mpt_is_valid_gfn(w.v[0], GFN(CONF_HOLE_GPA)),
		   "without the op the core reports every gfn valid");
		conf_skip("is_valid_gfn", "backend has no is_valid_gfn");
		goto out;
	}
	h = conf_handle(&w, 0);
	for (i = 0; i < CONF_ARRAY_SIZE(ram); i++) {
		ok(ops->is_valid_gfn(h, GFN(ram[i])),
		   "RAM gfn %#llx is valid", (unsigned long long)GFN(ram[i]));
		ok(mpt_is_valid_gfn(w.v[0], GFN(ram[i])),
		   "and the core says so");
	}
	if (ops->is_valid_gfn(h, GFN(CONF_HOLE_GPA))) {
		conf_note("is_valid_gfn reports a hole gfn valid: the backend "
			  "cannot tell, errors surface from other ops");
		goto out;
	}
	for (i = 0; i < CONF_ARRAY_SIZE(hole); i++) {
		ok(!ops->is_valid_gfn(h, GFN(hole[i])),
		   "gfn %#llx outside RAM is invalid",
		   (unsigned long long)GFN(hole[i]));
		ok(!mpt_is_valid_gfn(w.v[0], GFN(hole[i])),
		   "and the core says so");
	}
out:
	conf_world_fini(&w);
}

static void track_nop(struct mpt_vdev *vdev, u64 gpa, const void *data,
		      unsigned int len, void *opaque)
{
	(void)vdev;
	(void)gpa;
	(void)data;
	(void)len;
	(void)opaque;
}

/*
 * Frame numbers past the 52-bit guest-physical space name no guest RAM,
 * even where their low bits equal a RAM frame's.
 */
static void case_gfn_limit(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u64 alias = GFN_LIMIT + GFN(CONF_R2_GPA) + 1, pfn = 0, addr = 0;
	struct conf_world w;
	bool checked = false;
	void *h;
	int ret;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	h = conf_handle(&w, 0);
	if (ops->is_valid_gfn && !ops->is_valid_gfn(h, GFN(CONF_HOLE_GPA))) {
		ok(!ops->is_valid_gfn(h, alias),
		   "is_valid_gfn(%#llx) is false", (unsigned long long)alias);
		ok(!ops->is_valid_gfn(h, ~0ULL), "is_valid_gfn(~0) is false");
		checked = true;
	}
	if (ops->gfn_to_pfn) {
		ret = ops->gfn_to_pfn(h, alias, &pfn);
		if (ret != -EOPNOTSUPP) {
			is_int(ret, -EFAULT, "gfn_to_pfn(%#llx) is -EFAULT",
			       (unsigned long long)alias);
			is_int(ops->gfn_to_pfn(h, ~0ULL, &pfn), -EFAULT,
			       "gfn_to_pfn(~0) is -EFAULT");
			checked = true;
		}
	}
	if (ops->enable_page_track) {
		ret = ops->enable_page_track(h, alias);
		is_int(ret, -EFAULT, "enable_page_track(%#llx) is -EFAULT",
		       (unsigned long long)alias);
		if (!ret)
			ops->disable_page_track(h, alias);
		checked = true;
	}
	if (ops->dma_map) {
		ret = ops->dma_map(h, alias, MPT_DMA_SIZE_4K, &addr);
		if (ret != -EOPNOTSUPP) {
			is_int(ret, -EFAULT, "dma_map(%#llx) is -EFAULT",
			       (unsigned long long)alias);
			if (!ret)
				ops->dma_unmap(h, alias, MPT_DMA_SIZE_4K, addr);
			checked = true;
		}
	}
	if (!checked)
		conf_skip("gfns past the address space",
			  "backend has none of the gfn ops");

	/* The core's calls taking a gfn refuse it too. */
	ok(!mpt_is_valid_gfn(w.v[0], alias) || !ops->is_valid_gfn ||
		   ops->is_valid_gfn(h, GFN(CONF_HOLE_GPA)),
	   "mpt_is_valid_gfn(%#llx) is false", (unsigned long long)alias);
	if (ops->gfn_to_pfn)
		ok(mpt_gfn_to_pfn(w.v[0], alias, &pfn) < 0,
		   "mpt_gfn_to_pfn(%#llx) fails", (unsigned long long)alias);
	if (ops->dma_map)
		ok(mpt_dma_map(w.v[0], alias, MPT_DMA_SIZE_4K, &addr) < 0,
		   "mpt_dma_map(%#llx) fails", (unsigned long long)alias);
	if (ops->enable_page_track)
		ok(mpt_page_track_add(w.v[0], alias, track_nop, NULL) < 0,
		   "mpt_page_track_add(%#llx) fails",
		   (unsigned long long)alias);
	conf_world_fini(&w);
}

static void case_map_frames(struct mpt_conf *c)
{
	const struct mpt_conf_target *t = c->target;
	const struct mpt_backend_ops *ops = c->ops;
	u64 gfn = GFN(CONF_MMIO_BASE) + 0x200, pfn = 0, nr = 0;
	struct conf_world w;
	int ret;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	if (!ops->map_frames) {
		is_int(mpt_map_frames(w.v[0], gfn, 0x1000, 1), -EOPNOTSUPP,
		       "without the op the core says -EOPNOTSUPP");
		conf_skip("map_frames", "backend has no map_frames");
		goto out;
	}
	if (!t->host_frames || t->host_frames(c->ctx, &pfn, &nr) || nr < 4) {
		conf_skip("map_frames", "target offers no host frames");
		goto out;
	}
	ret = ops->map_frames(conf_handle(&w, 0), gfn, pfn, 4);
	ok(ret == 0 || ret == -EOPNOTSUPP,
	   "map_frames of 4 frames succeeds or is -EOPNOTSUPP (%d)", ret);
	if (ret == -EOPNOTSUPP) {
		conf_note("map_frames is -EOPNOTSUPP");
		goto out;
	}
	if (!ret)
		ops->unmap_frames(conf_handle(&w, 0), gfn, 4);
	conf_check_breaches(&w, "unmap_frames after map_frames");
	is_int(mpt_map_frames(w.v[0], gfn, pfn, nr), 0,
	       "mpt_map_frames of all %llu frames", (unsigned long long)nr);
	is_int(mpt_unmap_frames(w.v[0], gfn, nr), 0, "mpt_unmap_frames");
	conf_check_breaches(&w, "mpt_unmap_frames after mpt_map_frames");
out:
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_frames[] = {
	{ "gfn_to_pfn: RAM translates stably, the hole is -EFAULT",
	  case_gfn_to_pfn },
	{ "dma_map: 4K/64K/2M of RAM map to disjoint bus ranges",
	  case_dma_map },
	{ "dma_map: ranges in or reaching into the hole are -EFAULT",
	  case_dma_hole },
	{ "dma_map: a 2M range over two adjacent RAM regions maps",
	  case_dma_regions },
	{ "dma_map: the core's cache maps once per range, refcounted",
	  case_dma_core },
	{ "is_valid_gfn: RAM is valid, holes are not (or it cannot tell)",
	  case_is_valid_gfn },
	{ "gfns past the guest-physical address space are not RAM",
	  case_gfn_limit },
	{ "map_frames/unmap_frames: -EOPNOTSUPP or success, balanced",
	  case_map_frames },
	{ NULL, NULL },
};
