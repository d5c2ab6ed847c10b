/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <pthread.h> for the test sources built into the test modules: threads
 * are kthreads, created and joined only (no attributes, no detaching).
 *
 * pthread_create() starts the function in a kthread of its own and
 * pthread_join() waits for it to return; the function must return (a
 * thread that calls exit() is not supported).  Everything runs inside the
 * test module's init, so the module's code cannot go away under a thread.
 */
#ifndef MPT_KTEST_PTHREAD_H
#define MPT_KTEST_PTHREAD_H

#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/slab.h>

struct kt_pthread {
	void *(*fn)(void *arg);
	void *arg;
	void *ret;
	struct completion done;
};

typedef struct kt_pthread *pthread_t;
typedef struct kt_pthread_attr pthread_attr_t;

static inline int kt_pthread_main(void *data)
{
	struct kt_pthread *t = data;

	t->ret = t->fn(t->arg);
	complete(&t->done);
	return 0;
}

static inline int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
				 void *(*fn)(void *arg), void *arg)
{
	struct kt_pthread *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct task_struct *task;

	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->arg = arg;
	init_completion(&t->done);
	task = kthread_run(kt_pthread_main, t, "kt_pthread");
	if (IS_ERR(task)) {
		kfree(t);
		return (int)-PTR_ERR(task);
	}
	*thread = t;
	return 0;
}

static inline int pthread_join(pthread_t thread, void **ret)
{
	wait_for_completion(&thread->done);
	if (ret)
		*ret = thread->ret;
	kfree(thread);
	return 0;
}

#endif /* MPT_KTEST_PTHREAD_H */
