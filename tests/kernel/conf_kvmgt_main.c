// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt_conf_kvmgt.ko: the backend conformance suite (tests/conformance)
 * over mpt_mdev.ko's in-kernel backend "kvmgt", on real KVM guests.
 *
 * The kvmgt backend's guest is the VFIO device of an open mpt_mdev whose
 * group a VMM linked to a KVM VM and whose container maps the VM's RAM.
 * Only a VMM can make that, so a userspace agent
 * (tests/kernel/conf_kvmgt_agent.c) makes the guests and plays their CPUs,
 * and this module runs the suite when the agent asks it to, through the
 * misc device /dev/mpt_conf_kvmgt (conf_kvmgt_uapi.h says how):
 *
 * - CONF_KVMGT_RUN runs the suite (target_kvmgt.c, one leaf of KTAP on
 *   the kernel log, tests/kernel/ktap.c) in a kthread that uses the
 *   agent's mm, as a VMM's own thread would be, and returns its status;
 * - the target's guest callbacks become requests (conf_kvmgt_request())
 *   that the agent's other thread takes with CONF_KVMGT_WAIT and answers
 *   with CONF_KVMGT_REPLY.  Its vCPU really makes the loads and stores, so
 *   KVM's page tracking sees the stores.
 *
 * Every wait has a time limit: a request not answered within timeout_s
 * seconds (a parameter, writable at run time; default
 * CONF_KVMGT_TIMEOUT_S) fails, and every one after it fails at once, so a
 * dead agent ends the suite with failures instead of hanging.
 *
 * The module does nothing at load but offer the device; unloading it is
 * refused while the device is open.
 */
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include <mpt/kvmgt.h>

#include "conf_kvmgt.h"
#include "ktap.h"

enum conf_state {
	CONF_IDLE, /* no suite yet: WAIT says EAGAIN */
	CONF_RUNNING,
	CONF_OVER, /* the suite ended: WAIT says ESHUTDOWN */
};

/*
 * The channel to the agent.  One request at a time: the suite is one
 * thread.  @lock guards the members from @state to @reply_len; @data
 * belongs to whoever the request's state says (the suite before posting
 * and after the answer, the agent in between).
 */
static struct {
	spinlock_t lock;
	wait_queue_head_t req_wq; /* a request was posted, or the run ended */
	wait_queue_head_t reply_wq; /* the agent answered */
	enum conf_state state;
	bool dead; /* a request timed out: the agent is taken for dead */
	bool posted; /* a request waits for the agent */
	bool taken; /* the agent has it */
	bool answered; /* and answered it */
	u32 seq;
	unsigned int op;
	unsigned int guest;
	u64 gpa;
	u32 len;
	int result;
	u32 reply_len;
	u8 *data; /* CONF_KVMGT_CHUNK bytes */

	struct mutex run_lock; /* one RUN at a time; guards the rest */
	struct mm_struct *mm; /* the agent's, while RUN runs */
	struct conf_kvmgt_guests guests;
	char only[CONF_KVMGT_ONLY_LEN];
	atomic_t opened;
} chan = {
	.lock = __SPIN_LOCK_UNLOCKED(chan.lock),
	.req_wq = __WAIT_QUEUE_HEAD_INITIALIZER(chan.req_wq),
	.reply_wq = __WAIT_QUEUE_HEAD_INITIALIZER(chan.reply_wq),
	.run_lock = __MUTEX_INITIALIZER(chan.run_lock),
	.opened = ATOMIC_INIT(0),
};

static unsigned int timeout_s = CONF_KVMGT_TIMEOUT_S;
module_param(timeout_s, uint, 0644);
MODULE_PARM_DESC(timeout_s,
		 "seconds to wait for the agent's answer (1 to 600, default 30)");

const struct conf_kvmgt_guests *conf_kvmgt_guests(void)
{
	return &chan.guests;
}

static bool conf_answered(void)
{
	bool answered;

	spin_lock(&chan.lock);
	answered = chan.answered;
	spin_unlock(&chan.lock);
	return answered;
}

int conf_kvmgt_request(unsigned int op, unsigned int guest, u64 gpa,
		       void *buf, size_t len)
{
	int ret;

	if (len > CONF_KVMGT_CHUNK || guest >= chan.guests.nr)
		return -EINVAL;
	spin_lock(&chan.lock);
	if (chan.dead || chan.state != CONF_RUNNING) {
		spin_unlock(&chan.lock);
		return -EIO;
	}
	spin_unlock(&chan.lock);
	/* No request is out: the buffer is the suite's. */
	if (op == CONF_KVMGT_WRITE)
		memcpy(chan.data, buf, len);
	spin_lock(&chan.lock);
	chan.seq++;
	chan.op = op;
	chan.guest = guest;
	chan.gpa = gpa;
	chan.len = len;
	chan.posted = true;
	chan.taken = false;
	chan.answered = false;
	spin_unlock(&chan.lock);
	wake_up(&chan.req_wq);

	wait_event_timeout(chan.reply_wq, conf_answered(),
			   clamp(READ_ONCE(timeout_s), 1U, 600U) * HZ);

	spin_lock(&chan.lock);
	if (!chan.answered) {
		chan.dead = true;
		ret = -ETIMEDOUT;
	} else if (op == CONF_KVMGT_READ && !chan.result &&
		   chan.reply_len != len) {
		ret = -EIO;
	} else {
		ret = chan.result;
	}
	chan.posted = false;
	chan.taken = false;
	chan.answered = false;
	spin_unlock(&chan.lock);
	if (ret == -ETIMEDOUT)
		pr_err(CONF_KVMGT_DEV ": the agent did not answer request %u in time: giving up on it\n",
		       chan.seq);
	/* Answered: the buffer is ours again. */
	if (!ret && op == CONF_KVMGT_READ)
		memcpy(buf, chan.data, len);
	return ret;
}

/* ---- The agent's side ---------------------------------------------------- */

static bool conf_has_work(void)
{
	bool work;

	spin_lock(&chan.lock);
	work = chan.posted || chan.state == CONF_OVER;
	spin_unlock(&chan.lock);
	return work;
}

/* Answer the request being served with @result, unless that was done. */
static void conf_answer(u32 seq, int result, u32 len)
{
	spin_lock(&chan.lock);
	if (chan.taken && !chan.answered && seq == chan.seq && !chan.dead) {
		chan.result = result;
		chan.reply_len = len;
		chan.answered = true;
	}
	spin_unlock(&chan.lock);
	wake_up(&chan.reply_wq);
}

static long conf_ioctl_wait(struct conf_kvmgt_wait __user *uarg)
{
	struct conf_kvmgt_wait w;
	long ret;

	if (copy_from_user(&w, uarg, sizeof(w)))
		return -EFAULT;
	ret = wait_event_interruptible_timeout(chan.req_wq, conf_has_work(),
					       HZ);
	if (ret < 0)
		return ret;
	spin_lock(&chan.lock);
	if (chan.posted && !chan.dead) {
		chan.posted = false;
		chan.taken = true;
		w.seq = chan.seq;
		w.op = chan.op;
		w.guest = chan.guest;
		w.len = chan.len;
		w.gpa = chan.gpa;
		ret = 0;
	} else {
		ret = chan.state == CONF_OVER ? -ESHUTDOWN : -EAGAIN;
	}
	spin_unlock(&chan.lock);
	if (ret)
		return ret;
	if ((w.op == CONF_KVMGT_WRITE &&
	     copy_to_user(u64_to_user_ptr(w.data), chan.data, w.len)) ||
	    copy_to_user(uarg, &w, sizeof(w))) {
		conf_answer(w.seq, -EIO, 0);
		return -EFAULT;
	}
	return 0;
}

static long conf_ioctl_reply(struct conf_kvmgt_reply __user *uarg)
{
	struct conf_kvmgt_reply r;
	unsigned int op;
	bool valid;
	u32 len;
	int result;

	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	spin_lock(&chan.lock);
	valid = chan.taken && !chan.answered && r.seq == chan.seq &&
		!chan.dead;
	op = chan.op;
	len = chan.len;
	spin_unlock(&chan.lock);
	if (!valid)
		return -EINVAL;
	/* Only errnos; a READ brings exactly the bytes asked for. */
	result = r.result <= 0 && r.result > -MAX_ERRNO ? r.result : -EIO;
	if (!result && op == CONF_KVMGT_READ &&
	    (r.len != len ||
	     copy_from_user(chan.data, u64_to_user_ptr(r.data), len)))
		result = -EIO;
	conf_answer(r.seq, result, result ? 0 : r.len);
	return 0;
}

/* ---- Running the suite ----------------------------------------------------- */

/* The suite's thread: a kthread that works in the agent's mm. */
static int conf_program(void)
{
	char *argv[] = { "conformance-kvmgt", "--only", chan.only, NULL };
	int ret;

	kthread_use_mm(chan.mm);
	ret = kt_main_target_kvmgt(chan.only[0] ? 3 : 1, argv);
	kthread_unuse_mm(chan.mm);
	return ret;
}

static int conf_check_run(struct conf_kvmgt_run *r)
{
	unsigned int i, j;

	if (!r->nr_guests || r->nr_guests > CONF_KVMGT_MAX_GUESTS ||
	    !r->nr_regions || r->nr_regions > CONF_KVMGT_MAX_REGIONS ||
	    !memchr(r->only, 0, sizeof(r->only)))
		return -EINVAL;
	for (i = 0; i < r->nr_guests; i++) {
		if (!memchr(r->uuid[i], 0, sizeof(r->uuid[i])))
			return -EINVAL;
		/* One guest per mdev: the target tells guests by device. */
		for (j = 0; j < i; j++)
			if (!strcasecmp(r->uuid[i], r->uuid[j]))
				return -EINVAL;
	}
	for (i = 0; i < r->nr_regions; i++) {
		const struct conf_kvmgt_region *g = &r->regions[i];

		if (!g->size || !PAGE_ALIGNED(g->gpa) ||
		    !PAGE_ALIGNED(g->size) || g->gpa + g->size < g->gpa ||
		    (i && g->gpa < r->regions[i - 1].gpa +
					   r->regions[i - 1].size))
			return -EINVAL;
	}
	return 0;
}

static void conf_put_guests(void)
{
	unsigned int i;

	for (i = 0; i < chan.guests.nr; i++)
		mpt_kvmgt_put_device(chan.guests.dev[i]);
	memset(&chan.guests, 0, sizeof(chan.guests));
}

static int conf_get_guests(const struct conf_kvmgt_run *r)
{
	unsigned int i;

	memset(&chan.guests, 0, sizeof(chan.guests));
	for (i = 0; i < r->nr_guests; i++) {
		struct vfio_device *dev = mpt_kvmgt_get_device(r->uuid[i]);

		if (IS_ERR(dev)) {
			pr_err(CONF_KVMGT_DEV ": no open mpt_mdev device %s: %ld\n",
			       r->uuid[i], PTR_ERR(dev));
			conf_put_guests();
			return PTR_ERR(dev);
		}
		chan.guests.dev[chan.guests.nr++] = dev;
	}
	chan.guests.nr_regions = r->nr_regions;
	memcpy(chan.guests.regions, r->regions, sizeof(r->regions));
	return 0;
}

static void conf_set_state(enum conf_state state)
{
	spin_lock(&chan.lock);
	chan.state = state;
	chan.dead = false;
	chan.posted = chan.taken = chan.answered = false;
	spin_unlock(&chan.lock);
	wake_up_all(&chan.req_wq);
}

static long conf_ioctl_run(struct conf_kvmgt_run __user *uarg)
{
	struct conf_kvmgt_run *r;
	long ret;

	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(r, uarg, sizeof(*r)))
		goto out;
	ret = conf_check_run(r);
	if (ret)
		goto out;
	mutex_lock(&chan.run_lock);
	ret = conf_get_guests(r);
	if (ret)
		goto unlock;
	ret = -ENOMEM;
	if (kt_begin(1))
		goto put;
	strscpy(chan.only, r->only, sizeof(chan.only));
	mmget(current->mm);
	chan.mm = current->mm;
	conf_set_state(CONF_RUNNING);
	r->status = kt_run("kvmgt", conf_program) ? 0 : 1;
	conf_set_state(CONF_OVER);
	kt_end();
	mmput(chan.mm);
	chan.mm = NULL;
	ret = copy_to_user(uarg, r, sizeof(*r)) ? -EFAULT : 0;
put:
	conf_put_guests();
unlock:
	mutex_unlock(&chan.run_lock);
out:
	kfree(r);
	return ret;
}

static long conf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case CONF_KVMGT_RUN:
		return conf_ioctl_run(uarg);
	case CONF_KVMGT_WAIT:
		return conf_ioctl_wait(uarg);
	case CONF_KVMGT_REPLY:
		return conf_ioctl_reply(uarg);
	}
	return -ENOTTY;
}

static int conf_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&chan.opened, 0, 1))
		return -EBUSY;
	conf_set_state(CONF_IDLE);
	return 0;
}

static int conf_release(struct inode *inode, struct file *file)
{
	conf_set_state(CONF_IDLE);
	atomic_set(&chan.opened, 0);
	return 0;
}

static const struct file_operations conf_fops = {
	.owner = THIS_MODULE,
	.open = conf_open,
	.release = conf_release,
	.unlocked_ioctl = conf_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice conf_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = CONF_KVMGT_DEV,
	.fops = &conf_fops,
	.mode = 0600,
};

static int __init conf_kvmgt_init(void)
{
	int ret;

	chan.data = vmalloc(CONF_KVMGT_CHUNK);
	if (!chan.data)
		return -ENOMEM;
	ret = misc_register(&conf_misc);
	if (ret)
		vfree(chan.data);
	return ret;
}

static void __exit conf_kvmgt_exit(void)
{
	misc_deregister(&conf_misc);
	vfree(chan.data);
}

module_init(conf_kvmgt_init);
module_exit(conf_kvmgt_exit);
MODULE_IMPORT_NS(MPT);
MODULE_DESCRIPTION("mpt: backend conformance over the in-kernel kvmgt backend (KTAP)");
MODULE_LICENSE("Dual BSD/GPL");
