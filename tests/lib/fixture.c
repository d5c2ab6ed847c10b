// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The shared test world: sim backend, guest, and the tdev device type. */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "tap.h"

static int regs_access(struct mpt_vdev *vdev, u64 off, void *data,
		       unsigned int len, bool is_write, void *opaque)
{
	struct tdev *td = to_tdev(vdev);
	unsigned char *base = opaque;

	td->traps++;
	td->last_len = len;
	td->last_offset = off;
	if (is_write)
		memcpy(base + off, data, len);
	else
		memcpy(data, base + off, len);
	return 0;
}

/* The same handler over several arrays: opaque is the array minus base. */
static void *array_at(void *array, u64 base)
{
	return (unsigned char *)array - base;
}

static void tdev_notify(struct mpt_vdev *vdev, u32 msg, const u32 *payload)
{
	struct tdev *td = to_tdev(vdev);

	td->notifies++;
	td->last_msg = msg;
	td->last_payload0 = payload[0];
}

static int tdev_init(struct mpt_vdev *vdev)
{
	struct tdev *td = to_tdev(vdev);
	struct mpt_pvinfo_config pv = {
		.caps = MPT_PVINFO_CAP(0) | MPT_PVINFO_CAP(3),
		.ranges = { { 0x1000, 0x2000 }, { 0, 64 } },
		.notify = tdev_notify,
	};
	int ret;

	td->inits++;
	if (td->fail_init)
		return td->fail_init;
	ret = mpt_trap_register(vdev, 0, 0, 0x1000, regs_access,
				array_at(td->regs, 0),
				MPT_TRAP_SIZE4 | MPT_TRAP_ALIGNED);
	ret = ret ?: mpt_trap_register(vdev, 0, 0x1000, 0x10, regs_access,
				       array_at(td->regs2, 0x1000),
				       MPT_TRAP_SIZE4 | MPT_TRAP_ALIGNED |
					       MPT_TRAP_SPLIT);
	ret = ret ?: mpt_trap_register(vdev, 0, 0x2000, 0x100, regs_access,
				       array_at(td->bytes, 0x2000), 0);
	ret = ret ?: mpt_trap_register(vdev, 4, 0, 32, regs_access,
				       array_at(td->pio, 0), 0);
	ret = ret ?: mpt_pvinfo_setup(vdev, 0, TDEV_PVINFO_OFF, &pv);
	return ret;
}

static void tdev_release(struct mpt_vdev *vdev)
{
	to_tdev(vdev)->releases++;
}

static int tdev_activate(struct mpt_vdev *vdev)
{
	struct tdev *td = to_tdev(vdev);

	td->activates++;
	return td->fail_activate;
}

static void tdev_deactivate(struct mpt_vdev *vdev)
{
	to_tdev(vdev)->deactivates++;
}

static void tdev_reset(struct mpt_vdev *vdev)
{
	struct tdev *td = to_tdev(vdev);

	td->resets++;
	memset(td->regs, 0, sizeof(td->regs));
}

static const struct mpt_vdev_ops tdev_ops = {
	.init = tdev_init,
	.release = tdev_release,
	.activate = tdev_activate,
	.deactivate = tdev_deactivate,
	.reset = tdev_reset,
};

const struct mpt_pci_desc tdev_pci = {
	.vendor_id = 0x1af4,
	.device_id = 0x10f0,
	.subsystem_vendor_id = 0x1af4,
	.subsystem_id = 0x0001,
	.revision = 2,
	.class_code = 0x038000,
	.bars = {
		[0] = { .type = MPT_BAR_MEM32, .size = 64 << 10 },
		[2] = { .type = MPT_BAR_MEM64, .size = 1 << 20,
			.prefetchable = true },
		[4] = { .type = MPT_BAR_IO, .size = 32 },
	},
	.msi_vectors = 4,
	.msix_vectors = 16,
	.msix_bar = 2,
	.msix_table_offset = 0,
	.msix_pba_offset = 0x1000,
};

const struct mpt_vdev_type tdev_type = {
	.name = "tdev",
	.description = "mpt test device",
	.max_instances = 4,
	.instance_size = MPT_VDEV_TYPE_SIZE(struct tdev, vdev),
	.pci = &tdev_pci,
	.ops = &tdev_ops,
};

int fx_setup(struct fx *fx, enum mpt_vdev_state state)
{
	static const struct mpt_sim_region layout[] = {
		{ 0, FX_RAM0_SIZE },
		{ FX_RAM1_GPA, FX_RAM1_SIZE },
	};
	int ret;

	memset(fx, 0, sizeof(*fx));
	ret = mpt_sim_register(NULL, &fx->be);
	ret = ret ?: mpt_type_register(&tdev_type);
	fx->g = mpt_sim_guest_create(layout, 2);
	if (ret || !fx->g) {
		printf("Bail out! fixture setup failed: %d\n", ret);
		exit(2);
	}
	ret = mpt_vdev_create("tdev", NULL, &fx->vdev);
	if (!ret && state >= MPT_VDEV_ATTACHED)
		ret = mpt_vdev_attach(fx->vdev, fx->g);
	if (!ret && state >= MPT_VDEV_ACTIVE)
		ret = mpt_vdev_activate(fx->vdev);
	if (ret) {
		printf("Bail out! fixture instance failed: %d\n", ret);
		exit(2);
	}
	fx->td = to_tdev(fx->vdev);
	return 0;
}

void fx_teardown(struct fx *fx)
{
	if (fx->vdev)
		mpt_vdev_destroy(fx->vdev);
	is_int(mpt_sim_violations(fx->g), 0, "no backend contract violation");
	mpt_sim_guest_destroy(fx->g);
	ok(mpt_type_unregister(&tdev_type) == 0, "type unregisters");
	ok(mpt_backend_unregister(fx->be) == 0, "backend unregisters");
}

unsigned int fx_cfg_read(struct fx *fx, unsigned int off, unsigned int len)
{
	unsigned int v = 0;
	int ret = mpt_vdev_cfg_access(fx->vdev, off, &v, len, false);

	if (ret)
		diag("cfg read %#x/%u failed: %d", off, len, ret);
	return v;
}

void fx_cfg_write(struct fx *fx, unsigned int off, unsigned int len,
		  unsigned int val)
{
	int ret = mpt_vdev_cfg_access(fx->vdev, off, &val, len, true);

	if (ret)
		diag("cfg write %#x/%u failed: %d", off, len, ret);
}

void fx_enable_bars(struct fx *fx)
{
	fx_cfg_write(fx, MPT_PCI_BAR0, 4, (unsigned int)FX_BAR0_GPA);
	fx_cfg_write(fx, MPT_PCI_BAR0 + 8, 4, (unsigned int)FX_BAR2_GPA);
	fx_cfg_write(fx, MPT_PCI_BAR0 + 12, 4, 0);
	fx_cfg_write(fx, MPT_PCI_BAR0 + 16, 4, FX_BAR4_PORT);
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2,
		     MPT_PCI_COMMAND_MEMORY | MPT_PCI_COMMAND_IO |
			     MPT_PCI_COMMAND_MASTER);
}

static char log_buf[8192];
static size_t log_len;

static void capture(enum mpt_log_level level, const char *msg)
{
	size_t n = strlen(msg);

	(void)level;
	if (log_len + n + 2 >= sizeof(log_buf))
		log_len = 0;
	memcpy(log_buf + log_len, msg, n);
	log_len += n;
	log_buf[log_len++] = '\n';
	log_buf[log_len] = 0;
}

void fx_log_capture(void)
{
	log_len = 0;
	log_buf[0] = 0;
	mpt_set_log_handler(capture);
}

int fx_log_has(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

void fx_log_release(void)
{
	mpt_set_log_handler(NULL);
}
