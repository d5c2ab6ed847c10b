// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Device accesses to graphics addresses.
 *
 * The device reaches guest memory only through a table: the GGTT, or the
 * PPGTT a context bound.  These helpers cut a graphics range into runs
 * that are contiguous in guest-physical memory (or scratch throughout) and
 * make one mpt_gpa_read()/mpt_gpa_write() per run and per MGPU_XFER_SIZE
 * bytes, never one per pixel: a frame fill costs a few hundred calls, each
 * a memcpy on a backend whose guest memory is mapped.
 *
 * Scratch reads as zeroes and swallows writes.  The scanner refuses
 * submissions that reach scratch, so the device meets it only when a table
 * changed under a running submission (a command rewriting a page table).
 * Translation is redone for every run, so such a change takes effect at
 * once, as on hardware.
 */
#include "mgpu_priv.h"

static u64 as_span(enum mgpu_as as)
{
	return as == MGPU_AS_GGTT ? MGPU_GGTT_SPAN : MGPU_PPGTT_SPAN;
}

static bool xlate(struct mgpu *mg, enum mgpu_as as, u64 ga, u64 *gfn)
{
	if (as == MGPU_AS_GGTT)
		return mgpu_ggtt_lookup(mg, ga, gfn);
	return mgpu_ppgtt_lookup(mg, ga, gfn);
}

/*
 * The bytes from @ga, at most @len, that are contiguous in guest-physical
 * memory (*@mapped true, *@gpa set) or scratch throughout.
 */
static u64 run(struct mgpu *mg, enum mgpu_as as, u64 ga, u64 len, u64 *gpa,
	       bool *mapped)
{
	u64 gfn = 0, next = 0, n = MPT_PAGE_SIZE - (ga & ~MPT_PAGE_MASK);
	u64 first = MPT_GPA_TO_GFN(ga);

	*mapped = xlate(mg, as, ga, &gfn);
	*gpa = MPT_GFN_TO_GPA(gfn) + (ga & ~MPT_PAGE_MASK);
	while (n < len) {
		bool m = xlate(mg, as, ga + n, &next);

		if (m != *mapped ||
		    (m && next != gfn + MPT_GPA_TO_GFN(ga + n) - first))
			break;
		n += MPT_PAGE_SIZE;
	}
	return n < len ? n : len;
}

/**
 * mgpu_mem_mapped() - tell whether every byte of a range is mapped
 * @mg: the instance, lock held
 * @as: the table
 * @ga: first graphics address
 * @len: bytes (0 is always mapped)
 *
 * Return: true if valid entries map all of [@ga, @ga + @len).
 */
bool mgpu_mem_mapped(struct mgpu *mg, enum mgpu_as as, u64 ga, u64 len)
{
	u64 span = as_span(as), end, gfn;

	if (!len)
		return true;
	if (ga >= span || len > span - ga)
		return false;
	end = ga + len;
	for (ga &= MPT_PAGE_MASK; ga < end; ga += MPT_PAGE_SIZE)
		if (!xlate(mg, as, ga, &gfn))
			return false;
	return true;
}

/**
 * mgpu_mem_rect_mapped() - tell whether every byte of a rectangle is mapped
 * @mg: the instance, lock held
 * @as: the table
 * @ga: graphics address of the first pixel
 * @stride: bytes from a row to the next, at least @width * 4
 * @width: pixels per row (4 bytes each)
 * @height: rows
 *
 * Costs one check per row at most, so the scanner's pixel budget bounds it.
 *
 * Return: true if all of the rows' bytes are mapped.
 */
bool mgpu_mem_rect_mapped(struct mgpu *mg, enum mgpu_as as, u64 ga,
			  u32 stride, u32 width, u32 height)
{
	u64 row = (u64)width * 4, r;

	if (!width || !height)
		return true;
	if (stride == row)
		return mgpu_mem_mapped(mg, as, ga, row * height);
	for (r = 0; r < height; r++)
		if (!mgpu_mem_mapped(mg, as, ga + r * stride, row))
			return false;
	return true;
}

/**
 * mgpu_mem_read() - read graphics memory as the device
 * @mg: the instance, lock held
 * @as: the table
 * @ga: first graphics address
 * @buf: destination
 * @len: bytes
 *
 * Scratch reads as zeroes.
 *
 * Return: 0, or -EFAULT when the backend refused a mapped page (zeroes are
 * returned for it).
 */
int mgpu_mem_read(struct mgpu *mg, enum mgpu_as as, u64 ga, void *buf,
		  u64 len)
{
	u8 *p = buf;
	int err = 0;

	while (len) {
		u64 gpa, n = len < MGPU_XFER_SIZE ? len : MGPU_XFER_SIZE;
		bool mapped;

		n = run(mg, as, ga, n, &gpa, &mapped);
		if (mapped && mpt_gpa_read(&mg->vdev, gpa, p, n)) {
			mg->gpa_errors++;
			err = -EFAULT;
			mapped = false;
		}
		if (!mapped)
			memset(p, 0, n);
		ga += n;
		p += n;
		len -= n;
	}
	return err;
}

static void write_run(struct mgpu *mg, u64 gpa, const u8 *p, u64 n)
{
	if (mpt_gpa_write(&mg->vdev, gpa, p, n)) {
		mg->gpa_errors++;
		return;
	}
	mgpu_ppgtt_device_write(mg, gpa, p, n);
}

/**
 * mgpu_mem_write() - write graphics memory as the device
 * @mg: the instance, lock held
 * @as: the table
 * @ga: first graphics address
 * @buf: source
 * @len: bytes
 *
 * Writes to scratch, and those the backend refuses, are dropped.
 */
void mgpu_mem_write(struct mgpu *mg, enum mgpu_as as, u64 ga,
		    const void *buf, u64 len)
{
	const u8 *p = buf;

	while (len) {
		u64 gpa, n = len < MGPU_XFER_SIZE ? len : MGPU_XFER_SIZE;
		bool mapped;

		n = run(mg, as, ga, n, &gpa, &mapped);
		if (mapped)
			write_run(mg, gpa, p, n);
		ga += n;
		p += n;
		len -= n;
	}
}

/* Make @mg->xfer hold @color for at least @len + 4 bytes. */
static void pattern(struct mgpu *mg, u32 color, u64 len)
{
	u32 need = (u32)(len < MGPU_XFER_SIZE ? len : MGPU_XFER_SIZE) + 4;
	u32 *w = (u32 *)mg->xfer;
	u32 i;

	if (mg->xfer_filled >= need && mg->xfer_color == color)
		return;
	for (i = 0; i < need / 4 + 1 && i <= MGPU_XFER_SIZE / 4; i++)
		w[i] = color;
	mg->xfer_color = color;
	mg->xfer_filled = i * 4;
}

/**
 * mgpu_mem_fill() - fill graphics memory with a 32-bit pattern
 * @mg: the instance, lock held
 * @as: the table
 * @ga: first graphics address, where a pattern word starts
 * @len: bytes
 * @color: the pattern
 *
 * Writes from a buffer holding the pattern, MGPU_XFER_SIZE bytes per call
 * at most; a run that starts mid-word starts mid-buffer.
 */
void mgpu_mem_fill(struct mgpu *mg, enum mgpu_as as, u64 ga, u64 len,
		   u32 color)
{
	u64 done = 0;

	pattern(mg, color, len);
	while (done < len) {
		u64 gpa, n = len - done;
		bool mapped;

		n = run(mg, as, ga + done, n < MGPU_XFER_SIZE ? n :
				MGPU_XFER_SIZE, &gpa, &mapped);
		if (mapped)
			write_run(mg, gpa, mg->xfer + (done & 3), n);
		done += n;
	}
}

/**
 * mgpu_mem_copy() - copy graphics memory (ranges must not overlap)
 * @mg: the instance, lock held
 * @as: the table
 * @dst: destination graphics address
 * @src: source graphics address
 * @len: bytes
 */
void mgpu_mem_copy(struct mgpu *mg, enum mgpu_as as, u64 dst, u64 src,
		   u64 len)
{
	mg->xfer_filled = 0;
	while (len) {
		u64 n = len < MGPU_XFER_SIZE ? len : MGPU_XFER_SIZE;

		mgpu_mem_read(mg, as, src, mg->xfer, n);
		mgpu_mem_write(mg, as, dst, mg->xfer, n);
		dst += n;
		src += n;
		len -= n;
	}
}
