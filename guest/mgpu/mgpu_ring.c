// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The command ring from the driver's side.
 *
 * The driver owns the tail; the device moves RING_HEAD as it consumes.
 * One dword stays free so that a full ring is not mistaken for an empty
 * one.  Commands may straddle the end of the ring: the device copies a
 * submission wrapping.  Every submission is whole under g->lock, so two
 * CPUs submitting interleave by submission, never inside one.
 */
#include "mgpu/mgpu.h"
#include "rt/err.h"
#include "rt/wait.h"

void mgpu_ring_program(struct mgpu *g)
{
	mgpu_write(g, MGPU_REG_RING_BASE, g->ring.ga);
	mgpu_write(g, MGPU_REG_RING_SIZE, g->ring_size);
	mgpu_write(g, MGPU_REG_TAIL_ADDR, g->status.ga + MGPU_STATUS_TAIL);
	g->tail = 0;
}

struct space {
	struct mgpu *g;
	uint32_t need; /* bytes */
};

static uint32_t ring_free(const struct mgpu *g)
{
	uint32_t head = mgpu_read(g, MGPU_REG_RING_HEAD);

	return g->ring_size - 4 - ((g->tail - head) & (g->ring_size - 1));
}

static int has_space(void *arg)
{
	const struct space *s = arg;

	return ring_free(s->g) >= s->need;
}

static void emit(struct mgpu *g, const uint32_t *dw, uint32_t n)
{
	uint32_t *ring = g->ring.cpu;
	uint32_t i;

	for (i = 0; i < n; i++) {
		ring[g->tail / 4] = dw[i];
		g->tail = (g->tail + 4) & (g->ring_size - 1);
	}
}

static void publish(struct mgpu *g, unsigned int flags)
{
	volatile uint32_t *status = g->status.cpu;

	barrier(); /* the commands are in memory before the device looks */
	if (flags & MGPU_SUBMIT_DOORBELL) {
		status[MGPU_STATUS_TAIL / 4] = g->tail;
		barrier();
		mgpu_write(g, MGPU_REG_DOORBELL, 1);
	} else {
		mgpu_write(g, MGPU_REG_RING_TAIL, g->tail);
	}
}

int64_t mgpu_submit(struct mgpu *g, const uint32_t *dw, uint32_t n,
		    unsigned int flags)
{
	struct space s = { g, n * 4 };
	uint32_t tail_cmds[MGPU_LEN_STORE_DWORD + MGPU_LEN_INTERRUPT];
	struct cmdbuf tc;
	int64_t seqno = 0;

	cmdbuf_init(&tc, tail_cmds, sizeof(tail_cmds));
	spin_lock(&g->lock);
	if (!(flags & MGPU_SUBMIT_NO_SEQNO)) {
		seqno = ++g->seqno;
		cmd_store(&tc, g->status.ga + MGPU_STATUS_SEQNO,
			  (uint32_t)seqno);
	}
	if (flags & MGPU_SUBMIT_IRQ)
		cmd_interrupt(&tc);
	s.need += tc.len * 4;
	if (s.need > g->ring_size - 4 ||
	    wait_cond(has_space, &s, MGPU_TIMEOUT_US, 0)) {
		if (seqno)
			g->seqno--;
		spin_unlock(&g->lock);
		return -ENOSPC;
	}
	emit(g, dw, n);
	emit(g, tc.dw, tc.len);
	publish(g, flags);
	spin_unlock(&g->lock);
	return seqno;
}

uint32_t mgpu_seqno_done(const struct mgpu *g)
{
	const volatile uint32_t *status = g->status.cpu;

	return status[MGPU_STATUS_SEQNO / 4];
}

struct seqno_wait {
	struct mgpu *g;
	uint32_t seqno;
};

static int seqno_passed(void *arg)
{
	const struct seqno_wait *w = arg;

	return (int32_t)(mgpu_seqno_done(w->g) - w->seqno) >= 0;
}

int mgpu_wait(struct mgpu *g, uint32_t seqno, uint32_t timeout_us)
{
	struct seqno_wait w = { g, seqno };

	return wait_cond(seqno_passed, &w, timeout_us, WAIT_SLEEP);
}

int mgpu_run(struct mgpu *g, const uint32_t *dw, uint32_t n,
	     unsigned int flags)
{
	int64_t seqno = mgpu_submit(g, dw, n, flags & ~MGPU_SUBMIT_NO_SEQNO);

	if (seqno < 0)
		return (int)seqno;
	return mgpu_wait(g, (uint32_t)seqno, MGPU_TIMEOUT_US);
}

static int head_at_tail(void *arg)
{
	const struct mgpu *g = arg;

	return mgpu_read(g, MGPU_REG_RING_HEAD) == g->tail;
}

int mgpu_wait_idle(struct mgpu *g, uint32_t timeout_us)
{
	return wait_cond(head_at_tail, g, timeout_us, WAIT_SLEEP);
}
