/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The userspace port: allocation, locks, atomics and logging for the core.
 *
 * The core includes this file by name and the include path decides which
 * port it gets (os/user here, os/kernel for the module), so core code has no
 * #ifdef for the host.  Every primitive is the userspace twin of a kernel
 * one with the same semantics: mutexes may sleep, spinlocks may be taken
 * where sleeping is forbidden, and userspace mutexes record their owner so
 * that mpt_assert_held() catches locking mistakes in the tests.
 */
#ifndef MPT_OS_H
#define MPT_OS_H

#include <mpt/types.h>
#include <mpt/log.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define mpt_likely(x) __builtin_expect(!!(x), 1)
#define mpt_unlikely(x) __builtin_expect(!!(x), 0)
#define mpt_noinline __attribute__((noinline))
#define mpt_printf(a, b) __attribute__((format(printf, a, b)))

#define MPT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define mpt_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))
#define MPT_MIN(a, b) ((a) < (b) ? (a) : (b))

/* The core exports a symbol with this after its definition. */
#define MPT_EXPORT(sym)

/*
 * The module that owns code the core calls: none in userspace, where code
 * cannot be unloaded under the core (the kernel port says THIS_MODULE).
 */
#define MPT_THIS_MODULE NULL

/* Memory. */
static inline void *mpt_zalloc(size_t size)
{
	return calloc(1, size);
}

/* Allocates @n elements of @size zeroed bytes, NULL on overflow. */
static inline void *mpt_zalloc_array(size_t n, size_t size)
{
	return calloc(n, size);
}

static inline void mpt_free(void *p)
{
	free(p);
}

/*
 * References on the module owning a backend or device type, held by each
 * instance: nothing to hold in userspace.
 */
static inline bool mpt_os_owner_get(void *owner)
{
	(void)owner;
	return true;
}

static inline void mpt_os_owner_put(void *owner)
{
	(void)owner;
}

/* Sleeping lock that knows its owner. */
struct mpt_mutex {
	pthread_mutex_t lock;
	pthread_t owner;
	bool held;
};

#define MPT_DEFINE_MUTEX(name) \
	struct mpt_mutex name = { .lock = PTHREAD_MUTEX_INITIALIZER }

void mpt_mutex_init(struct mpt_mutex *m);
void mpt_mutex_destroy(struct mpt_mutex *m);
void mpt_mutex_lock(struct mpt_mutex *m);
void mpt_mutex_unlock(struct mpt_mutex *m);
bool mpt_mutex_held(struct mpt_mutex *m);

/* Lock for paths that must not sleep (interrupt raise). */
struct mpt_spinlock {
	pthread_spinlock_t lock;
};

static inline void mpt_spin_init(struct mpt_spinlock *s)
{
	pthread_spin_init(&s->lock, PTHREAD_PROCESS_PRIVATE);
}

static inline void mpt_spin_destroy(struct mpt_spinlock *s)
{
	pthread_spin_destroy(&s->lock);
}

static inline void mpt_spin_lock(struct mpt_spinlock *s)
{
	pthread_spin_lock(&s->lock);
}

static inline void mpt_spin_unlock(struct mpt_spinlock *s)
{
	pthread_spin_unlock(&s->lock);
}

/* Atomics, sequentially consistent unless the name says relaxed. */
typedef struct {
	int counter;
} mpt_atomic_t;

static inline int mpt_atomic_read(const mpt_atomic_t *a)
{
	return __atomic_load_n(&a->counter, __ATOMIC_SEQ_CST);
}

static inline void mpt_atomic_set(mpt_atomic_t *a, int v)
{
	__atomic_store_n(&a->counter, v, __ATOMIC_SEQ_CST);
}

static inline int mpt_atomic_inc_return(mpt_atomic_t *a)
{
	return __atomic_add_fetch(&a->counter, 1, __ATOMIC_SEQ_CST);
}

static inline int mpt_atomic_dec_return(mpt_atomic_t *a)
{
	return __atomic_sub_fetch(&a->counter, 1, __ATOMIC_SEQ_CST);
}

/* Sets @a to @new if it holds @old; returns the value it held. */
static inline int mpt_atomic_cmpxchg(mpt_atomic_t *a, int old, int new)
{
	__atomic_compare_exchange_n(&a->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

/* Statistics counters: relaxed, never used for synchronisation. */
static inline void mpt_stat_inc(u64 *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static inline void mpt_stat_add(u64 *counter, u64 n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static inline u64 mpt_stat_read(const u64 *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* A racy hint read and written by concurrent lookups. */
#define MPT_READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define MPT_WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* Give the CPU away while waiting for other threads to leave a section. */
void mpt_os_yield(void);

/* Logging; the message gets the "mpt: " prefix and no newline is needed. */
void mpt_log(enum mpt_log_level level, const char *fmt, ...) mpt_printf(2, 3);

#define mpt_err(...) mpt_log(MPT_LOG_ERR, __VA_ARGS__)
#define mpt_warn(...) mpt_log(MPT_LOG_WARN, __VA_ARGS__)
#define mpt_info(...) mpt_log(MPT_LOG_INFO, __VA_ARGS__)
#define mpt_dbg(...) mpt_log(MPT_LOG_DEBUG, __VA_ARGS__)

/* An internal invariant broke: log it loudly and return true. */
#define mpt_warn_on(cond)                                                  \
	({                                                                 \
		bool __c = !!(cond);                                       \
		if (mpt_unlikely(__c))                                     \
			mpt_err("WARNING at %s:%d: %s", __FILE__, __LINE__, \
				#cond);                                    \
		__c;                                                       \
	})

#define mpt_assert_held(m) mpt_warn_on(!mpt_mutex_held(m))

#include "../mpt_array.h"

#endif /* MPT_OS_H */
