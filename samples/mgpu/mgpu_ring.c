// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The command ring: its registers and submissions.
 *
 * A submission is [RING_HEAD, tail) of the ring, wrapping at RING_SIZE,
 * published by a RING_TAIL write or by DOORBELL (the tail then comes from
 * the u32 at GA TAIL_ADDR).  It is copied out of guest memory once, as
 * GVT-g shadows ring buffers, so that the guest cannot change what runs
 * after it was checked; it is then scanned whole (mgpu_scanner.c) and
 * either executed (mgpu_exec.c) or refused with nothing executed.
 *
 * The ring registers are checked at each submission: RING_SIZE a power of
 * two from 4 KiB to 64 KiB, RING_BASE page aligned with the whole ring
 * mapped by the GGTT, the tail inside the ring and 4-byte aligned,
 * TAIL_ADDR (for a doorbell) 4-byte aligned and mapped.  A failure there
 * is MGPU_ERR_RING and leaves RING_HEAD where it was.  Programming
 * RING_BASE or RING_SIZE starts a new, empty ring: RING_HEAD and
 * RING_TAIL become 0.
 */
#include "mgpu_priv.h"

static bool ring_size_ok(u32 size)
{
	return size >= MGPU_RING_MIN && size <= MGPU_RING_MAX &&
	       !(size & (size - 1));
}

static int ring_check(struct mgpu *mg, u32 tail)
{
	u32 base = MGPU_REG(mg, MGPU_REG_RING_BASE);
	u32 size = MGPU_REG(mg, MGPU_REG_RING_SIZE);
	u32 head = MGPU_REG(mg, MGPU_REG_RING_HEAD);

	if (!ring_size_ok(size) || (base & ~MPT_PAGE_MASK))
		return MGPU_ERR_RING;
	if (tail >= size || (tail & 3) || head >= size || (head & 3))
		return MGPU_ERR_RING;
	if (!mgpu_mem_mapped(mg, MGPU_AS_GGTT, base, size))
		return MGPU_ERR_RING;
	return 0;
}

/* Copy @len bytes of the ring from @head, wrapping, into @mg->ring_copy. */
static int ring_copy(struct mgpu *mg, u32 head, u32 len)
{
	u64 base = MGPU_REG(mg, MGPU_REG_RING_BASE);
	u32 size = MGPU_REG(mg, MGPU_REG_RING_SIZE);
	u32 first = len < size - head ? len : size - head;
	u8 *dst = (u8 *)mg->ring_copy;
	int ret;

	ret = mgpu_mem_read(mg, MGPU_AS_GGTT, base + head, dst, first);
	if (!ret && first < len)
		ret = mgpu_mem_read(mg, MGPU_AS_GGTT, base, dst + first,
				    len - first);
	return ret;
}

static void refuse(struct mgpu *mg, int err)
{
	MGPU_REG(mg, MGPU_REG_ERROR) = err;
	MGPU_REG(mg, MGPU_REG_STATUS) |= MGPU_STATUS_ERROR;
	MGPU_REG(mg, MGPU_REG_STAT_REJECTED)++;
	mpt_stat_inc(&mg->stats.cmds_rejected);
	mpt_dbg("mgpu%u: submission refused: error %d", mg->vdev.id, err);
	if (err == MGPU_ERR_PRIVILEGED)
		mgpu_failsafe_enter(mg, MGPU_FAILSAFE_PRIVILEGED);
	mgpu_irq_locked(mg, MGPU_IRQ_ERROR);
}

static void account(struct mgpu *mg, u32 nr_cmds)
{
	MGPU_REG(mg, MGPU_REG_STAT_CMDS) += nr_cmds;
	/* Written under the lock only; readers load it relaxed. */
	MPT_WRITE_ONCE(mg->stats.cmds_executed,
		       mg->stats.cmds_executed + nr_cmds);
}

/*
 * Check the ring, copy the submission up to @tail and scan it.  Return 0
 * with @mg->cmds ready to run (none for an empty submission), or the
 * MGPU_ERR_* to report.
 */
static int scan(struct mgpu *mg, u32 tail, enum mgpu_as as, u32 *nr)
{
	u32 head = MGPU_REG(mg, MGPU_REG_RING_HEAD);
	u32 size = MGPU_REG(mg, MGPU_REG_RING_SIZE);
	int err = ring_check(mg, tail);
	u32 len;

	mg->nr_cmds = 0;
	if (err)
		return err;
	len = (tail - head) & (size - 1);
	if (!len)
		return 0;
	if (ring_copy(mg, head, len))
		return MGPU_ERR_RING;
	MGPU_REG(mg, MGPU_REG_RING_HEAD) = tail;
	return mgpu_scan(mg, as, mg->ring_copy, len / 4, nr);
}

static void submit(struct mgpu *mg, u32 tail)
{
	enum mgpu_as as;
	u32 nr = 0;
	int err;

	mpt_stat_inc(&mg->stats.submissions);
	as = MGPU_REG(mg, MGPU_REG_CTX_PD) ? MGPU_AS_PPGTT : MGPU_AS_GGTT;
	err = scan(mg, tail, as, &nr);
	if (err) {
		refuse(mg, err);
		return;
	}
	mgpu_exec(mg, as);
	account(mg, nr);
}

/**
 * mgpu_ring_reg_write() - a guest write to a ring register
 * @mg: the instance, lock held
 * @offset: RING_BASE, RING_SIZE, RING_TAIL or TAIL_ADDR
 * @val: the value
 *
 * A RING_TAIL write submits before it returns.
 */
void mgpu_ring_reg_write(struct mgpu *mg, u32 offset, u32 val)
{
	MGPU_REG(mg, offset) = val;
	switch (offset) {
	case MGPU_REG_RING_BASE:
	case MGPU_REG_RING_SIZE:
		MGPU_REG(mg, MGPU_REG_RING_HEAD) = 0;
		MGPU_REG(mg, MGPU_REG_RING_TAIL) = 0;
		break;
	case MGPU_REG_RING_TAIL:
		submit(mg, val);
		break;
	default:
		break;
	}
}

/**
 * mgpu_ring_doorbell() - submit up to the tail stored at GA TAIL_ADDR
 * @mg: the instance, lock held
 *
 * The tail read is latched in RING_TAIL.
 */
void mgpu_ring_doorbell(struct mgpu *mg)
{
	u32 ta = MGPU_REG(mg, MGPU_REG_TAIL_ADDR), tail;

	if ((ta & 3) || !mgpu_mem_mapped(mg, MGPU_AS_GGTT, ta, 4) ||
	    mgpu_mem_read(mg, MGPU_AS_GGTT, ta, &tail, 4)) {
		mpt_stat_inc(&mg->stats.submissions);
		refuse(mg, MGPU_ERR_RING);
		return;
	}
	MGPU_REG(mg, MGPU_REG_RING_TAIL) = tail;
	submit(mg, tail);
}
