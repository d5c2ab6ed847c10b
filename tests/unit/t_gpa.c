// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Guest memory through the core: reads and writes across pages and RAM
 * regions, holes and wrapping ranges, frame translation and pass-through
 * frames.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

static void test_rw(void)
{
	static u8 buf[3 * 4096], back[3 * 4096];
	struct fx fx;
	u64 last = FX_RAM0_SIZE - 8;
	unsigned int i;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 7);
	ok(mpt_gpa_write(fx.vdev, 0x1ffd, buf, sizeof(buf)) == 0,
	   "write across four pages at an odd address");
	ok(mpt_sim_guest_read(fx.g, 0x1ffd, back, sizeof(back)) == 0 &&
		   !memcmp(buf, back, sizeof(buf)),
	   "the guest sees it");
	memset(back, 0, sizeof(back));
	ok(mpt_gpa_read(fx.vdev, 0x1ffd, back, sizeof(back)) == 0 &&
		   !memcmp(buf, back, sizeof(buf)),
	   "the device reads it back");
	ok(mpt_gpa_write(fx.vdev, FX_RAM1_GPA, buf, 16) == 0,
	   "second RAM region");
	is_int(mpt_gpa_read(fx.vdev, last, back, 16), -EFAULT,
	       "read running into the hole");
	is_int(mpt_gpa_write(fx.vdev, FX_HOLE_GPA + 4096, buf, 4), -EFAULT,
	       "write inside the hole");
	is_int(mpt_gpa_read(fx.vdev, FX_RAM1_GPA + FX_RAM1_SIZE - 4, back, 8),
	       -EFAULT, "read past the end of RAM");
	is_int(mpt_gpa_read(fx.vdev, ~0ULL - 3, back, 8), -EINVAL,
	       "wrapping range");
	ok(mpt_gpa_read(fx.vdev, 0, back, 0) == 0, "zero length");
	mpt_sim_fail_nth(fx.g, MPT_SIM_READ_GPA, 1, -EIO);
	is_int(mpt_gpa_read(fx.vdev, 0, back, 4), -EIO, "backend error");
	ok(mpt_vdev_detach(fx.vdev) == 0, "detach");
	is_int(mpt_gpa_write(fx.vdev, 0, buf, 4), -ENODEV, "not attached");
	fx_teardown(&fx);
}

static void test_frames(void)
{
	struct fx fx;
	u64 pfn1, pfn2, pfn3;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	ok(mpt_gfn_to_pfn(fx.vdev, 5, &pfn1) == 0, "gfn 5 translates");
	ok(mpt_gfn_to_pfn(fx.vdev, 6, &pfn2) == 0 && pfn2 == pfn1 + 1,
	   "contiguous RAM gives contiguous frames");
	ok(mpt_gfn_to_pfn(fx.vdev, 5, &pfn3) == 0 && pfn3 == pfn1, "stable");
	is_int(mpt_gfn_to_pfn(fx.vdev, MPT_GPA_TO_GFN(FX_HOLE_GPA), &pfn3),
	       -EFAULT, "hole has no frame");
	ok(mpt_is_valid_gfn(fx.vdev, 5), "RAM gfn valid");
	ok(!mpt_is_valid_gfn(fx.vdev, MPT_GPA_TO_GFN(FX_HOLE_GPA)),
	   "hole gfn invalid");
	ok(mpt_map_frames(fx.vdev, 0x80000, 0x1000, 16) == 0, "map frames");
	is_int(mpt_sim_frames_mapped(fx.g), 16, "backend mapped 16");
	is_int(mpt_map_frames(fx.vdev, 0x80000, 0x1000, 0), -EINVAL,
	       "zero frames");
	is_int(mpt_map_frames(fx.vdev, ~0ULL - 2, 0x1000, 16), -EINVAL,
	       "wrapping frames");
	mpt_sim_fail_nth(fx.g, MPT_SIM_MAP_FRAMES, 1, -EPERM);
	is_int(mpt_map_frames(fx.vdev, 0x90000, 0x1000, 1), -EPERM,
	       "backend error");
	is_int(mpt_unmap_frames(fx.vdev, 0x80000, 8), -ENOENT,
	       "unmap of part of a mapping refused");
	ok(mpt_unmap_frames(fx.vdev, 0x80000, 16) == 0, "unmap frames");
	is_int(mpt_sim_frames_mapped(fx.g), 0, "none left");
	ok(mpt_map_frames(fx.vdev, 0xa0000, 0x2000, 4) == 0, "map again");
	ok(mpt_vdev_detach(fx.vdev) == 0, "detach with frames mapped");
	is_int(mpt_sim_frames_mapped(fx.g), 0, "detach unmapped them");
	fx_teardown(&fx);
}

int main(void)
{
	test_rw();
	test_frames();
	return done_testing();
}
