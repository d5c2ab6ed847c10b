/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mpt-xen: mpt device models for Xen guests, from dom0.
 *
 *	mpt-xen run --domid N --device TYPE [...]    serve an existing domain
 *	mpt-xen create CONFIG.cfg [...]               xl create with mpt keys
 *
 * The guest sees the machine of tools/mptrun/mptrun_abi.h that a Xen PVH
 * domain can have: COM1 output, the exit port, PCI configuration mechanism
 * #1 with a host bridge at 00:00.0 and the instances at 00:01.0 on.  Those
 * three are mptrun's own code (tools/mptrun/io.c, compiled in here with a
 * struct machine that holds only what io.c and report.c use); Xen sends
 * their accesses to our ioreq server like the instances'.
 *
 * Standard output carries the guest's COM1 output and nothing else;
 * errors and statistics go to standard error.
 */
#ifndef MPT_XEN_TOOL_H
#define MPT_XEN_TOOL_H

#include <mpt/xen.h>

#include "mptrun.h"

/* Exit statuses besides the guest's exit-port value: mptrun's. */
#define XEN_STATUS_HOST MPTRUN_STATUS_HOST
#define XEN_STATUS_USAGE MPTRUN_STATUS_USAGE
#define XEN_STATUS_TIMEOUT MPTRUN_STATUS_TIMEOUT
#define XEN_STATUS_SHUTDOWN MPTRUN_STATUS_SHUTDOWN

/* Who the model runs as once set up (mpt_xen_dom_deprivilege()). */
#define XEN_DEFAULT_UID 65534
#define XEN_DEFAULT_GID 65534

struct xen_run_opts {
	long domid;
	const char *devices[MPTRUN_MAX_DEVICES];
	unsigned int nr_devices;
	const char *snapshot;
	const char *stats_file;
	unsigned int timeout;
	bool deprivilege;
	int ready_fd; /* -1, or where to say "ready" once serving */
};

/* run.c: serve domain @o->domid; returns the exit status. */
int xen_run(const struct xen_run_opts *o);

/* create.c: mpt-xen create; returns the exit status. */
int xen_create(int argc, char **argv, const char *self);

#endif /* MPT_XEN_TOOL_H */
