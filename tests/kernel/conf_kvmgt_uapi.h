/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The misc device /dev/mpt_conf_kvmgt of mpt_conf_kvmgt.ko, between the
 * module and its agent (tests/kernel/conf_kvmgt_agent.c), a VMM-like
 * program that owns the guests the conformance suite runs on.
 *
 * The agent makes its guests first (a KVM VM each, with an mpt_mdev device
 * linked to it and the VM's RAM mapped into the device's container), then:
 *
 * - one thread calls CONF_KVMGT_RUN with the guests' mdev UUIDs and their
 *   RAM layout.  The suite runs over the "kvmgt" backend inside that call
 *   (in a kthread that uses the agent's mm) and the call returns the
 *   suite's exit status; its KTAP goes to the kernel log;
 * - another thread serves the suite's guest requests: CONF_KVMGT_WAIT
 *   hands it the next one (with the bytes to store), CONF_KVMGT_REPLY
 *   answers it (with the bytes loaded).  WAIT fails with EAGAIN when no
 *   request came within a second, and with ESHUTDOWN once RUN is over.
 *
 * The module waits CONF_KVMGT_TIMEOUT_S seconds (its parameter timeout_s)
 * for each reply; after one timeout it takes the agent for dead and fails
 * every later request at once, so that a dead agent ends the suite instead
 * of hanging the kernel.
 * One agent at a time: a second open is EBUSY.
 */
#ifndef MPT_CONF_KVMGT_UAPI_H
#define MPT_CONF_KVMGT_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define CONF_KVMGT_DEV "mpt_conf_kvmgt"
#define CONF_KVMGT_MAX_GUESTS 2
#define CONF_KVMGT_MAX_REGIONS 4
#define CONF_KVMGT_UUID_LEN 40 /* 36 characters, NUL, padding */
#define CONF_KVMGT_ONLY_LEN 64
/* The most bytes one request moves. */
#define CONF_KVMGT_CHUNK (64 * 1024)
#define CONF_KVMGT_TIMEOUT_S 30

/**
 * struct conf_kvmgt_region - one RAM region of every guest
 * @gpa: guest-physical start
 * @size: size in bytes
 */
struct conf_kvmgt_region {
	__u64 gpa;
	__u64 size;
};

/**
 * struct conf_kvmgt_run - CONF_KVMGT_RUN's argument
 * @nr_guests: guests the agent made, 1 to CONF_KVMGT_MAX_GUESTS
 * @nr_regions: regions of their (common) RAM layout
 * @uuid: each guest's mdev, as in /sys/bus/mdev/devices; NUL-terminated
 * @regions: the layout, sorted, not overlapping
 * @only: run only the cases whose name contains this ("" for all)
 * @status: out: the suite's exit status (0 all passed, 1 a case failed,
 *	2 the suite could not run)
 * @pad: zero
 */
struct conf_kvmgt_run {
	__u32 nr_guests;
	__u32 nr_regions;
	char uuid[CONF_KVMGT_MAX_GUESTS][CONF_KVMGT_UUID_LEN];
	struct conf_kvmgt_region regions[CONF_KVMGT_MAX_REGIONS];
	char only[CONF_KVMGT_ONLY_LEN];
	__s32 status;
	__u32 pad;
};

/* What the suite asks of a guest. */
enum conf_kvmgt_op {
	CONF_KVMGT_RESET = 1, /* zero the guest's RAM (a fresh guest) */
	CONF_KVMGT_READ, /* the vCPU loads @len bytes at @gpa */
	CONF_KVMGT_WRITE, /* the vCPU stores the @len bytes at @gpa */
};

/**
 * struct conf_kvmgt_wait - CONF_KVMGT_WAIT's argument
 * @data: in: where the agent takes the bytes of a WRITE (at least
 *	CONF_KVMGT_CHUNK bytes)
 * @seq: out: the request's number, for the reply
 * @op: out: enum conf_kvmgt_op
 * @guest: out: the guest, an index into conf_kvmgt_run.uuid
 * @len: out: bytes to load or store (at most CONF_KVMGT_CHUNK)
 * @gpa: out: where
 */
struct conf_kvmgt_wait {
	__u64 data;
	__u32 seq;
	__u32 op;
	__u32 guest;
	__u32 len;
	__u64 gpa;
};

/**
 * struct conf_kvmgt_reply - CONF_KVMGT_REPLY's argument
 * @seq: the request answered
 * @result: 0, or a negative errno (-EFAULT: not all of it is guest RAM)
 * @data: for a READ that succeeded, the @len bytes loaded
 * @len: their number: the request's @len, or 0
 * @pad: zero
 */
struct conf_kvmgt_reply {
	__u32 seq;
	__s32 result;
	__u64 data;
	__u32 len;
	__u32 pad;
};

#define CONF_KVMGT_IOC 0xc7
#define CONF_KVMGT_RUN _IOWR(CONF_KVMGT_IOC, 1, struct conf_kvmgt_run)
#define CONF_KVMGT_WAIT _IOWR(CONF_KVMGT_IOC, 2, struct conf_kvmgt_wait)
#define CONF_KVMGT_REPLY _IOW(CONF_KVMGT_IOC, 3, struct conf_kvmgt_reply)

#endif /* MPT_CONF_KVMGT_UAPI_H */
