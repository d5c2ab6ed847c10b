// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The kernel port's out-of-line parts: the log sink and invariant reports.
 */
#include "mpt_os.h"

static mpt_log_fn log_handler;
static int log_level = MPT_LOG_WARN;
module_param(log_level, int, 0644);
MODULE_PARM_DESC(log_level,
		 "most verbose message printed: 0 error, 1 warning (default), 2 info, 3 debug");

mpt_log_fn mpt_set_log_handler(mpt_log_fn fn)
{
	return xchg(&log_handler, fn);
}
MPT_EXPORT(mpt_set_log_handler);

void mpt_set_log_level(enum mpt_log_level level)
{
	WRITE_ONCE(log_level, level);
}
MPT_EXPORT(mpt_set_log_level);

/* Handlers get the formatted message; longer ones are cut. */
#define MPT_LOG_MSG_MAX 512

void mpt_log(enum mpt_log_level level, const char *fmt, ...)
{
	mpt_log_fn handler = READ_ONCE(log_handler);
	struct va_format vaf;
	va_list ap;

	if ((int)level > READ_ONCE(log_level))
		return;
	va_start(ap, fmt);
	if (handler) {
		char msg[MPT_LOG_MSG_MAX];

		vsnprintf(msg, sizeof(msg), fmt, ap);
		handler(level, msg);
		va_end(ap);
		return;
	}
	vaf.fmt = fmt;
	vaf.va = &ap;
	switch (level) {
	case MPT_LOG_ERR:
		pr_err("mpt: %pV\n", &vaf);
		break;
	case MPT_LOG_WARN:
		pr_warn("mpt: %pV\n", &vaf);
		break;
	case MPT_LOG_INFO:
		pr_info("mpt: %pV\n", &vaf);
		break;
	default:
		printk(KERN_DEBUG "mpt: %pV\n", &vaf);
		break;
	}
	va_end(ap);
}
MPT_EXPORT(mpt_log);

void mpt_os_invariant_broken(const char *file, int line, const char *cond,
			     bool *dumped)
{
	pr_err_ratelimited("mpt: invariant broken at %s:%d: %s\n", file, line,
			   cond);
	/* A racing second dump is harmless. */
	if (!READ_ONCE(*dumped)) {
		WRITE_ONCE(*dumped, true);
		dump_stack();
	}
}
MPT_EXPORT(mpt_os_invariant_broken);
