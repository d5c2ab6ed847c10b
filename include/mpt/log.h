/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Where mpt's messages go.  In the kernel they go to printk; a userspace
 * program may redirect them (tests check that refusals say why).
 */
#ifndef MPT_LOG_H
#define MPT_LOG_H

#include <mpt/types.h>

/**
 * enum mpt_log_level - severity of a message
 * @MPT_LOG_ERR: an operation was refused or failed
 * @MPT_LOG_WARN: the guest or a caller did something wrong, mpt coped
 * @MPT_LOG_INFO: lifecycle events
 * @MPT_LOG_DEBUG: detail for developers
 */
enum mpt_log_level {
	MPT_LOG_ERR = 0,
	MPT_LOG_WARN,
	MPT_LOG_INFO,
	MPT_LOG_DEBUG,
};

/**
 * typedef mpt_log_fn - a log sink
 * @level: severity
 * @msg: the formatted message, without a trailing newline
 */
typedef void (*mpt_log_fn)(enum mpt_log_level level, const char *msg);

/**
 * mpt_set_log_handler() - send mpt's messages somewhere else
 * @fn: the sink, or NULL for the default (stderr in userspace, printk in
 *	the kernel)
 *
 * Context: any; not serialised against concurrent logging, so set it
 * before creating instances.
 * Return: the previous sink (NULL for the default).
 */
MPT_API mpt_log_fn mpt_set_log_handler(mpt_log_fn fn);

/**
 * mpt_set_log_level() - the most verbose level that is emitted
 * @level: MPT_LOG_ERR to MPT_LOG_DEBUG; the default is MPT_LOG_WARN
 *
 * Context: any.
 */
MPT_API void mpt_set_log_level(enum mpt_log_level level);

#endif /* MPT_LOG_H */
