/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The kernel port: allocation, locks, atomics and logging for the core.
 *
 * The twin of os/user/mpt_os.h, with the same names and the same
 * semantics; the include path of the module build (-Ios/kernel) makes the
 * core pick it up, so core code has no #ifdef for the host.  Most
 * primitives are thin inline wrappers of the kernel's own; only logging is
 * out of line (os/kernel/mpt_os.c).
 */
#ifndef MPT_OS_H
#define MPT_OS_H

#include <mpt/types.h>
#include <mpt/log.h>

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#define mpt_likely(x) likely(x)
#define mpt_unlikely(x) unlikely(x)
#define mpt_noinline noinline
#define mpt_printf(a, b) __printf(a, b)

#define MPT_ARRAY_SIZE(a) ARRAY_SIZE(a)
#define mpt_container_of(ptr, type, member) container_of(ptr, type, member)
/* Untyped like the userspace twin: the core compares like with like. */
#define MPT_MIN(a, b) ((a) < (b) ? (a) : (b))

/*
 * The core exports a symbol with this after its definition: GPL-only, in
 * the MPT namespace, so users state MODULE_IMPORT_NS(MPT).
 */
#define MPT_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, MPT)

/*
 * The module that owns code the core calls (struct mpt_backend_ops and
 * struct mpt_vdev_type take it in their owner member).
 */
#define MPT_THIS_MODULE THIS_MODULE

/*
 * Memory: device models allocate up to a few MiB, so vmalloc may back it.
 * GFP_KERNEL: the core allocates only where it may sleep.
 */
static inline void *mpt_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

/* Allocates @n elements of @size zeroed bytes, NULL on overflow. */
static inline void *mpt_zalloc_array(size_t n, size_t size)
{
	return kvcalloc(n, size, GFP_KERNEL);
}

static inline void mpt_free(void *p)
{
	kvfree(p);
}

/* Module references for instances (mpt_vdev_create() takes them). */
static inline bool mpt_os_owner_get(void *owner)
{
	return try_module_get(owner);
}

static inline void mpt_os_owner_put(void *owner)
{
	module_put(owner);
}

/* Sleeping lock. */
struct mpt_mutex {
	struct mutex lock;
};

#define MPT_DEFINE_MUTEX(name) \
	struct mpt_mutex name = { .lock = __MUTEX_INITIALIZER(name.lock) }

/* A macro, as mutex_init() is: one lockdep class per initialisation site. */
#define mpt_mutex_init(m) mutex_init(&(m)->lock)

static inline void mpt_mutex_destroy(struct mpt_mutex *m)
{
	mutex_destroy(&m->lock);
}

static inline void mpt_mutex_lock(struct mpt_mutex *m)
{
	mutex_lock(&m->lock);
}

static inline void mpt_mutex_unlock(struct mpt_mutex *m)
{
	mutex_unlock(&m->lock);
}

/*
 * True if the caller holds @m.  Exact with lockdep; without it only "some
 * task holds it", which still catches a lock nobody took.
 */
static inline bool mpt_mutex_held(struct mpt_mutex *m)
{
#ifdef CONFIG_LOCKDEP
	return lockdep_is_held(&m->lock);
#else
	return mutex_is_locked(&m->lock);
#endif
}

/*
 * Lock for paths that must not sleep (interrupt raise).  Interrupts are
 * disabled while it is held, so a backend may raise from hard-irq context;
 * the saved flags live in the lock, which only its holder touches.
 */
struct mpt_spinlock {
	spinlock_t lock;
	unsigned long flags;
};

#define mpt_spin_init(s) spin_lock_init(&(s)->lock)

static inline void mpt_spin_destroy(struct mpt_spinlock *s)
{
}

static inline void mpt_spin_lock(struct mpt_spinlock *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->flags = flags;
}

static inline void mpt_spin_unlock(struct mpt_spinlock *s)
{
	spin_unlock_irqrestore(&s->lock, s->flags);
}

/*
 * Atomics, sequentially consistent as in the userspace port: read-modify-
 * write operations are fully ordered, a set is an exchange (fully ordered)
 * and a read is an acquire.
 */
typedef atomic_t mpt_atomic_t;

static inline int mpt_atomic_read(const mpt_atomic_t *a)
{
	return atomic_read_acquire(a);
}

static inline void mpt_atomic_set(mpt_atomic_t *a, int v)
{
	atomic_xchg(a, v);
}

static inline int mpt_atomic_inc_return(mpt_atomic_t *a)
{
	return atomic_inc_return(a);
}

static inline int mpt_atomic_dec_return(mpt_atomic_t *a)
{
	return atomic_dec_return(a);
}

/* Sets @a to @new if it holds @old; returns the value it held. */
static inline int mpt_atomic_cmpxchg(mpt_atomic_t *a, int old, int new)
{
	return atomic_cmpxchg(a, old, new);
}

/*
 * Statistics counters: exact but unordered (atomic64 without barriers),
 * never used for synchronisation.  The u64 counters of the public
 * struct mpt_vdev_stats are accessed as atomic64_t, which has their size
 * and alignment (the kernel builds with -fno-strict-aliasing).
 */
static inline atomic64_t *mpt_stat_atomic(u64 *counter)
{
	BUILD_BUG_ON(sizeof(atomic64_t) != sizeof(u64));
	return (atomic64_t *)counter;
}

static inline void mpt_stat_inc(u64 *counter)
{
	atomic64_inc(mpt_stat_atomic(counter));
}

static inline void mpt_stat_add(u64 *counter, u64 n)
{
	atomic64_add((s64)n, mpt_stat_atomic(counter));
}

static inline u64 mpt_stat_read(const u64 *counter)
{
	return READ_ONCE(*counter);
}

/* A racy hint read and written by concurrent lookups. */
#define MPT_READ_ONCE(x) READ_ONCE(x)
#define MPT_WRITE_ONCE(x, v) WRITE_ONCE(x, v)

/*
 * Give the CPU away while waiting for other threads to leave a section
 * (deactivation waiting for in-flight guest accesses).  Process context
 * only: it sleeps, so that the threads it waits for can run even on one
 * CPU without preemption.
 */
static inline void mpt_os_yield(void)
{
	might_sleep();
	usleep_range(20, 100);
}

/* Logging; the message gets the "mpt: " prefix and no newline is needed. */
void mpt_log(enum mpt_log_level level, const char *fmt, ...) mpt_printf(2, 3);

#define mpt_err(...) mpt_log(MPT_LOG_ERR, __VA_ARGS__)
#define mpt_warn(...) mpt_log(MPT_LOG_WARN, __VA_ARGS__)
#define mpt_info(...) mpt_log(MPT_LOG_INFO, __VA_ARGS__)
#define mpt_dbg(...) mpt_log(MPT_LOG_DEBUG, __VA_ARGS__)

void mpt_os_invariant_broken(const char *file, int line, const char *cond,
			     bool *dumped);

/*
 * An internal invariant broke: log it loudly and return true.
 *
 * Not WARN_ON(): every caller recovers (it returns the condition and the
 * core carries on, as in userspace), so a splat that taints the kernel,
 * and panics hosts booted with panic_on_warn, would turn a recoverable
 * accounting slip into a host crash.  Instead the message names the site
 * (ratelimited), the stack is dumped the first time a site fires, and the
 * line starts with "mpt: invariant broken", which the kernel test tier
 * treats as a failure as it does a WARNING.
 */
#define mpt_warn_on(cond)                                                  \
	({                                                                 \
		static bool __mpt_dumped;                                  \
		bool __c = !!(cond);                                       \
		if (unlikely(__c))                                         \
			mpt_os_invariant_broken(__FILE__, __LINE__, #cond, \
						&__mpt_dumped);            \
		__c;                                                       \
	})

#define mpt_assert_held(m) mpt_warn_on(!mpt_mutex_held(m))

#include "../mpt_array.h"

#endif /* MPT_OS_H */
