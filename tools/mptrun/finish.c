// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The end of a run, decided once: the guest's exit port (io.c), a timeout,
 * a fatal error.  Shared by mptrun and mpt-xen, which both serve io.c's
 * devices; messages carry the program's own name.
 */
#define _GNU_SOURCE /* program_invocation_short_name */
#include <errno.h>
#include <stdarg.h>

#include "mptrun.h"

void mptrun_finish(struct machine *m, int status, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&m->lock);
	if (!m->done) {
		m->done = true;
		m->status = status;
		if (fmt) {
			va_start(ap, fmt);
			fprintf(stderr, "%s: ", program_invocation_short_name);
			vfprintf(stderr, fmt, ap);
			fprintf(stderr, "\n");
			va_end(ap);
		}
		pthread_cond_broadcast(&m->cond);
	}
	pthread_mutex_unlock(&m->lock);
}
