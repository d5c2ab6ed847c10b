// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The userspace port's out-of-line parts: owner-tracking mutexes, yielding
 * and the log sink.
 */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>

#include "mpt_os.h"

void mpt_mutex_init(struct mpt_mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
	m->held = false;
}

void mpt_mutex_destroy(struct mpt_mutex *m)
{
	pthread_mutex_destroy(&m->lock);
}

void mpt_mutex_lock(struct mpt_mutex *m)
{
	pthread_mutex_lock(&m->lock);
	m->owner = pthread_self();
	m->held = true;
}

void mpt_mutex_unlock(struct mpt_mutex *m)
{
	mpt_warn_on(!mpt_mutex_held(m));
	m->held = false;
	pthread_mutex_unlock(&m->lock);
}

/* True only for the thread that holds @m, as lockdep_is_held() is. */
bool mpt_mutex_held(struct mpt_mutex *m)
{
	return m->held && pthread_equal(m->owner, pthread_self());
}

void mpt_os_yield(void)
{
	sched_yield();
}

static mpt_log_fn log_handler;
static enum mpt_log_level log_level = MPT_LOG_WARN;

mpt_log_fn mpt_set_log_handler(mpt_log_fn fn)
{
	mpt_log_fn old = log_handler;

	log_handler = fn;
	return old;
}

void mpt_set_log_level(enum mpt_log_level level)
{
	log_level = level;
}

void mpt_log(enum mpt_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };
	char msg[512];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_handler)
		log_handler(level, msg);
	else
		fprintf(stderr, "mpt: %s: %s\n", names[level], msg);
}
