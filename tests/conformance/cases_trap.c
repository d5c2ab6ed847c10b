// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: trap areas.  A claimed area routes guest accesses to
 * mpt_vdev_bar_access() of the claiming instance with the BAR and the
 * offset from the area's start; a released one no longer does; areas of
 * two devices cannot overlap.
 */
#include <string.h>

#include "conformance.h"
#include "tap.h"

/* Whether the trap-area cases can run at all. */
static bool can_claim(struct mpt_conf *c, const char *what)
{
	if (!c->ops->claim_trap_area) {
		conf_skip(what, "backend has no claim_trap_area");
		return false;
	}
	return true;
}

/* Whether guest accesses can be made to check the routing. */
static bool can_route(struct mpt_conf *c, const char *what)
{
	if (!c->target->guest_mmio) {
		conf_skip(what, "backend does not route guest accesses");
		return false;
	}
	return true;
}

/*
 * A guest access of @len bytes at @addr reaches instance @i at BAR0
 * offset @offset: a read returns the device's bytes, a write hands it
 * @len bytes of a pattern.
 */
static void reaches(struct conf_world *w, unsigned int i, enum mpt_space space,
		    u64 addr, unsigned int len, bool is_write, u64 offset,
		    const char *what)
{
	struct conf_dev *d = to_conf_dev(w->v[i]);
	unsigned int before = d->accesses, k;
	u8 data[8], want[8];

	if (is_write) {
		conf_fill(data, len, (unsigned int)addr);
		memcpy(want, data, len);
	} else {
		memset(data, 0, sizeof(data));
		for (k = 0; k < len; k++)
			want[k] = conf_bar_byte(offset + k);
	}
	is_int(conf_guest_mmio(w, space, addr, data, len, is_write), 0,
	       "%s: the %u-byte %s at %#llx succeeds", what, len,
	       is_write ? "store" : "load", (unsigned long long)addr);
	if (!is_int(d->accesses - before, 1, "%s: the handler ran once",
		    what))
		return;
	is_int(d->last.offset, offset, "%s: at BAR offset %#llx", what,
	       (unsigned long long)offset);
	is_int(d->last.len, len, "%s: with the access's length", what);
	ok(d->last.is_write == is_write, "%s: in the access's direction",
	   what);
	if (is_write)
		ok(!memcmp(d->last.data, want, len),
		   "%s: the handler got the bytes stored", what);
	else
		ok(!memcmp(data, want, len),
		   "%s: the guest got the handler's bytes", what);
}

/* A guest access at @addr reaches none of the world's instances. */
static void misses(struct conf_world *w, enum mpt_space space, u64 addr,
		   const char *what)
{
	unsigned int before[CONF_MAX_VDEVS], i;
	bool reached = false;
	u8 data[4] = { 0 };

	for (i = 0; i < w->nr; i++)
		before[i] = w->v[i] ? to_conf_dev(w->v[i])->accesses : 0;
	conf_guest_mmio(w, space, addr, data, 4, false);
	for (i = 0; i < w->nr; i++)
		if (w->v[i] && to_conf_dev(w->v[i])->accesses != before[i])
			reached = true;
	ok(!reached, "%s: an access at %#llx reaches no device", what,
	   (unsigned long long)addr);
}

static void case_claim_route(struct mpt_conf *c)
{
	struct mpt_trap_area area = { MPT_SPACE_MMIO, 0, CONF_MMIO_BASE,
				      0x2000 };
	const u64 base = CONF_MMIO_BASE;
	struct conf_world w;
	void *h;

	if (!can_claim(c, "claim_trap_area"))
		return;
	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	h = conf_handle(&w, 0);
	is_int(c->ops->claim_trap_area(h, &area), 0,
	       "claim_trap_area of 8 KiB of MMIO");
	if (can_route(c, "routing")) {
		reaches(&w, 0, MPT_SPACE_MMIO, base + 0x10, 4, true, 0x10,
			"4-byte store");
		reaches(&w, 0, MPT_SPACE_MMIO, base + 0x808, 8, false, 0x808,
			"8-byte load");
		reaches(&w, 0, MPT_SPACE_MMIO, base + 0x1002, 2, true, 0x1002,
			"2-byte store on the second page");
		reaches(&w, 0, MPT_SPACE_MMIO, base, 1, false, 0,
			"load of the first byte");
		reaches(&w, 0, MPT_SPACE_MMIO, base + 0x1fff, 1, false, 0x1fff,
			"load of the last byte");
		misses(&w, MPT_SPACE_MMIO, base + 0x2000,
		       "just after the area");
		misses(&w, MPT_SPACE_MMIO, base - 4, "just before the area");
		misses(&w, MPT_SPACE_PIO, base & 0xffff, "in port space");
	}
	c->ops->release_trap_area(h, &area);
	conf_world_fini(&w);
}

static void case_release(struct mpt_conf *c)
{
	struct mpt_trap_area area = { MPT_SPACE_MMIO, 0, CONF_MMIO_BASE,
				      0x1000 };
	bool route = c->target->guest_mmio != NULL;
	struct conf_world w;
	void *h;

	if (!can_claim(c, "release_trap_area"))
		return;
	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	h = conf_handle(&w, 0);
	is_int(c->ops->claim_trap_area(h, &area), 0, "claim an area");
	if (route)
		reaches(&w, 0, MPT_SPACE_MMIO, CONF_MMIO_BASE + 0x20, 4, false,
			0x20, "claimed");
	c->ops->release_trap_area(h, &area);
	if (route) {
		misses(&w, MPT_SPACE_MMIO, CONF_MMIO_BASE + 0x20, "released");
		misses(&w, MPT_SPACE_MMIO, CONF_MMIO_BASE, "released");
	}
	is_int(c->ops->claim_trap_area(h, &area), 0,
	       "the released area can be claimed again");
	if (route)
		reaches(&w, 0, MPT_SPACE_MMIO, CONF_MMIO_BASE + 0x24, 4, true,
			0x24, "claimed again");
	c->ops->release_trap_area(h, &area);
	if (!route)
		conf_skip("routing", "backend does not route guest accesses");
	conf_world_fini(&w);
}

static void case_claim_busy(struct mpt_conf *c)
{
	const u64 base = CONF_MMIO_BASE;
	struct mpt_trap_area a = { MPT_SPACE_MMIO, 0, base, 0x2000 };
	struct mpt_trap_area bad[] = {
		{ MPT_SPACE_MMIO, 0, base, 0x2000 },
		{ MPT_SPACE_MMIO, 0, base + 0x1000, 0x2000 },
		{ MPT_SPACE_MMIO, 0, base - 0x1000, 0x2000 },
		{ MPT_SPACE_MMIO, 0, base + 0x800, 0x100 },
		{ MPT_SPACE_MMIO, 0, base - 0x1000, 0x4000 },
	};
	struct mpt_trap_area next = { MPT_SPACE_MMIO, 0, base + 0x2000,
				      0x1000 };
	struct mpt_trap_area prev = { MPT_SPACE_MMIO, 0, base - 0x1000,
				      0x1000 };
	struct conf_world w;
	unsigned int i;
	void *ha, *hb;
	int ret, ret_next, ret_prev;

	if (!can_claim(c, "overlapping claims"))
		return;
	if (conf_world_init(c, &w, 2, MPT_VDEV_ACTIVE))
		return;
	ha = conf_handle(&w, 0);
	hb = conf_handle(&w, 1);
	is_int(c->ops->claim_trap_area(ha, &a), 0, "device A claims 8 KiB");
	for (i = 0; i < CONF_ARRAY_SIZE(bad); i++) {
		ret = c->ops->claim_trap_area(hb, &bad[i]);
		is_int(ret, -EBUSY,
		       "device B claiming [%#llx, +%#llx) over it is -EBUSY",
		       (unsigned long long)bad[i].start,
		       (unsigned long long)bad[i].len);
		if (!ret)
			c->ops->release_trap_area(hb, &bad[i]);
	}
	ret_next = c->ops->claim_trap_area(hb, &next);
	is_int(ret_next, 0, "device B claims the area right after A's");
	ret_prev = c->ops->claim_trap_area(hb, &prev);
	is_int(ret_prev, 0, "device B claims the area right before A's");
	if (c->target->guest_mmio) {
		reaches(&w, 0, MPT_SPACE_MMIO, base + 0x1ffc, 4, false, 0x1ffc,
			"A's last word");
		reaches(&w, 1, MPT_SPACE_MMIO, base + 0x2000, 4, false, 0,
			"B's area after A's");
		reaches(&w, 1, MPT_SPACE_MMIO, base - 4, 4, false, 0xffc,
			"B's area before A's");
		reaches(&w, 0, MPT_SPACE_MMIO, base, 4, false, 0,
			"A's first word");
	}
	if (!ret_next)
		c->ops->release_trap_area(hb, &next);
	if (!ret_prev)
		c->ops->release_trap_area(hb, &prev);
	c->ops->release_trap_area(ha, &a);
	is_int(c->ops->claim_trap_area(hb, &bad[0]), 0,
	       "once A released it, B can claim A's area");
	c->ops->release_trap_area(hb, &bad[0]);
	conf_world_fini(&w);
}

static void case_claim_pio(struct mpt_conf *c)
{
	struct mpt_trap_area area = { MPT_SPACE_PIO, 0, CONF_PIO_BASE, 0x20 };
	struct conf_world w;
	void *h;

	if (!can_claim(c, "port I/O areas"))
		return;
	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	h = conf_handle(&w, 0);
	is_int(c->ops->claim_trap_area(h, &area), 0,
	       "claim 32 ports for BAR0");
	if (can_route(c, "port routing")) {
		reaches(&w, 0, MPT_SPACE_PIO, CONF_PIO_BASE + 4, 2, false, 4,
			"2-byte port load");
		reaches(&w, 0, MPT_SPACE_PIO, CONF_PIO_BASE + 0x1f, 1, true,
			0x1f, "1-byte port store to the last port");
		reaches(&w, 0, MPT_SPACE_PIO, CONF_PIO_BASE + 8, 4, true, 8,
			"4-byte port store");
		misses(&w, MPT_SPACE_PIO, CONF_PIO_BASE + 0x20,
		       "the port after the area");
		misses(&w, MPT_SPACE_PIO, CONF_PIO_BASE - 4,
		       "the ports before the area");
	}
	c->ops->release_trap_area(h, &area);
	if (c->target->guest_mmio)
		misses(&w, MPT_SPACE_PIO, CONF_PIO_BASE + 4, "released");
	conf_world_fini(&w);
}

/* The guest decodes BAR0: the core claims it through the backend. */
static void case_bar_decode(struct mpt_conf *c)
{
	const u64 base = CONF_MMIO_BASE, moved = CONF_MMIO_BASE + 0x100000;
	struct mpt_vdev_stats st;
	struct conf_world w;

	if (!can_claim(c, "BAR decoding"))
		return;
	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_route(c, "BAR decoding")) {
		conf_world_fini(&w);
		return;
	}
	misses(&w, MPT_SPACE_MMIO, base + 0x40, "before decoding");
	conf_bar_decode(w.v[0], base);
	reaches(&w, 0, MPT_SPACE_MMIO, base + 0x40, 4, false, 0x40,
		"decoded BAR");
	reaches(&w, 0, MPT_SPACE_MMIO, base + CONF_BAR_SIZE - 8, 8, true,
		CONF_BAR_SIZE - 8, "decoded BAR's last qword");
	misses(&w, MPT_SPACE_MMIO, base + CONF_BAR_SIZE, "after the BAR");

	conf_bar_decode(w.v[0], moved);
	misses(&w, MPT_SPACE_MMIO, base + 0x40, "the BAR's old address");
	reaches(&w, 0, MPT_SPACE_MMIO, moved + 0x40, 4, true, 0x40,
		"moved BAR");

	conf_bar_decode(w.v[0], 0);
	misses(&w, MPT_SPACE_MMIO, moved + 0x40, "decoding disabled");
	conf_bar_decode(w.v[0], base);
	reaches(&w, 0, MPT_SPACE_MMIO, base + 0x44, 4, false, 0x44,
		"decoding enabled again");
	mpt_vdev_get_stats(w.v[0], &st);
	is_int(st.bar_claim_errors, 0, "every claim succeeded");
	conf_world_fini(&w);
}

/* Two devices' BARs at one address: the second stays undecoded. */
static void case_bar_collide(struct mpt_conf *c)
{
	const u64 base = CONF_MMIO_BASE;
	bool route = c->target->guest_mmio != NULL;
	struct mpt_vdev_stats st;
	struct conf_world w;

	if (!can_claim(c, "colliding BARs"))
		return;
	if (conf_world_init(c, &w, 2, MPT_VDEV_ACTIVE))
		return;
	conf_bar_decode(w.v[0], base);
	conf_bar_decode(w.v[1], base);
	mpt_vdev_get_stats(w.v[0], &st);
	is_int(st.bar_claim_errors, 0, "device A's BAR is claimed");
	mpt_vdev_get_stats(w.v[1], &st);
	is_int(st.bar_claim_errors, 1,
	       "device B's BAR at the same address is refused");
	if (route)
		reaches(&w, 0, MPT_SPACE_MMIO, base + 0x10, 4, false, 0x10,
			"the shared address, A's");
	conf_bar_decode(w.v[0], 0);
	conf_bar_decode(w.v[1], base);
	mpt_vdev_get_stats(w.v[1], &st);
	is_int(st.bar_claim_errors, 1,
	       "once A stopped decoding, B's BAR is claimed");
	if (route)
		reaches(&w, 1, MPT_SPACE_MMIO, base + 0x10, 4, false, 0x10,
			"the shared address, now B's");
	else
		conf_skip("routing", "backend does not route guest accesses");
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_trap[] = {
	{ "claim_trap_area: guest MMIO reaches the handler at the offset",
	  case_claim_route },
	{ "release_trap_area: guest MMIO no longer reaches the handler",
	  case_release },
	{ "claim_trap_area: overlapping another device's area is -EBUSY",
	  case_claim_busy },
	{ "claim_trap_area: port I/O areas route port accesses",
	  case_claim_pio },
	{ "BAR decoding: the core claims, moves and releases BAR0",
	  case_bar_decode },
	{ "BAR decoding: a BAR colliding with another device's stays off",
	  case_bar_collide },
	{ NULL, NULL },
};
