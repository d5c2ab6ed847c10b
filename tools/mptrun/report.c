// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * What mptrun reports at the end of a run: --stats as one JSON object (to
 * standard error, or to --stats-file), --snapshot as a PNG of the first
 * mgpu's display (or of the first --vfio device's plane, vfio_plane.c).
 */
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "mptrun.h"

#if MPTRUN_MGPU
#include "mgpu.h"
#endif

#if MPTRUN_MGPU
static bool is_mgpu(struct mpt_vdev *v)
{
	return !strncmp(v->type->name, "mgpu", 4);
}
#endif

static void json_u64(FILE *f, const char *name, u64 v, bool last)
{
	fprintf(f, "\"%s\": %llu%s", name, (unsigned long long)v,
		last ? "" : ", ");
}

static void core_stats(FILE *f, struct mpt_vdev *v)
{
	struct mpt_vdev_stats s;

	mpt_vdev_get_stats(v, &s);
	fprintf(f, "\"core\": {");
	json_u64(f, "mmio_traps", s.mmio_traps, false);
	json_u64(f, "cfg_accesses", s.cfg_accesses, false);
	json_u64(f, "unclaimed", s.unclaimed, false);
	json_u64(f, "bad_accesses", s.bad_accesses, false);
	json_u64(f, "refused", s.refused, false);
	json_u64(f, "handler_errors", s.handler_errors, false);
	json_u64(f, "irqs_injected", s.irqs_injected, false);
	json_u64(f, "irqs_pending", s.irqs_pending, false);
	json_u64(f, "irqs_dropped", s.irqs_dropped, false);
	json_u64(f, "irq_errors", s.irq_errors, false);
	json_u64(f, "page_track_writes", s.page_track_writes, false);
	json_u64(f, "page_track_misses", s.page_track_misses, false);
	json_u64(f, "dma_maps", s.dma_maps, false);
	json_u64(f, "dma_hits", s.dma_hits, false);
	json_u64(f, "dma_unmaps", s.dma_unmaps, false);
	json_u64(f, "dma_invalidated", s.dma_invalidated, false);
	json_u64(f, "dma_leaked", s.dma_leaked, false);
	json_u64(f, "bar_claim_errors", s.bar_claim_errors, false);
	json_u64(f, "pvinfo_ro_writes", s.pvinfo_ro_writes, false);
	json_u64(f, "pvinfo_rsvd_writes", s.pvinfo_rsvd_writes, false);
	json_u64(f, "pvinfo_notifies", s.pvinfo_notifies, true);
	fprintf(f, "}");
}

static void mgpu_stats(FILE *f, struct mpt_vdev *v)
{
#if MPTRUN_MGPU
	struct mgpu_stats s;

	if (!is_mgpu(v))
		return;
	mgpu_get_stats(v, &s);
	fprintf(f, ", \"mgpu\": {");
	json_u64(f, "msis", s.msis, false);
	json_u64(f, "page_track_faults", s.page_track_faults, false);
	json_u64(f, "shadow_updates", s.shadow_updates, false);
	json_u64(f, "submissions", s.submissions, false);
	json_u64(f, "cmds_executed", s.cmds_executed, false);
	json_u64(f, "cmds_rejected", s.cmds_rejected, false);
	json_u64(f, "failsafe_entries", s.failsafe_entries, false);
	json_u64(f, "doorbells", s.doorbells, false);
	json_u64(f, "failsafe", mgpu_failsafe(v), true);
	fprintf(f, "}");
#else
	(void)f;
	(void)v;
#endif
}

static void backend_stats(FILE *f, struct machine *m)
{
	struct mpt_kvm_stats s;

	mpt_kvm_get_stats(m->vm, &s);
	fprintf(f, "\"backend\": {");
	json_u64(f, "mmio_exits", s.mmio_exits, false);
	json_u64(f, "pio_exits", s.pio_exits, false);
	json_u64(f, "tracked_writes", s.tracked_writes, false);
	json_u64(f, "ram_exits", s.ram_exits, false);
	json_u64(f, "doorbells", s.doorbells, false);
	json_u64(f, "msi_irqfd", s.msi_irqfd, false);
	json_u64(f, "msi_signal", s.msi_signal, false);
	json_u64(f, "memslot_updates", s.memslot_updates, false);
	json_u64(f, "vcpu_pauses", s.vcpu_pauses, true);
	fprintf(f, "}");
}

static void vfio_stats(FILE *f, struct machine *m)
{
	unsigned int i;

	if (!m->vfio.nr)
		return;
	fprintf(f, ", \"vfio\": [");
	for (i = 0; i < m->vfio.nr; i++) {
		struct vfio_dev *d = m->vfio.dev[i];

		fprintf(f, "%s{\"pci\": \"00:%02x.0\", \"sysfsdev\": \"%s\", ",
			i ? ", " : "", d->slot, d->name);
		json_u64(f, "msi_vectors", d->nr_vectors, false);
		json_u64(f, "request_irq", d->req_fd >= 0, false);
		json_u64(f, "cfg_accesses", mpt_stat_read(&d->n.cfg_accesses),
			 false);
		json_u64(f, "mmio", mpt_stat_read(&d->n.mmio), false);
		json_u64(f, "pio", mpt_stat_read(&d->n.pio), false);
		json_u64(f, "errors", mpt_stat_read(&d->n.errors), false);
		json_u64(f, "route_updates", mpt_stat_read(&d->n.route_updates),
			 true);
		fprintf(f, "}");
	}
	fprintf(f, "]");
}

int mptrun_write_stats(struct machine *m)
{
	FILE *f = stderr;
	unsigned int i;

	if (m->o.stats_file) {
		f = fopen(m->o.stats_file, "w");
		if (!f) {
			fprintf(stderr, "mptrun: cannot write %s\n",
				m->o.stats_file);
			return -EIO;
		}
	}
	fprintf(f, "{\"status\": %d, \"vcpus\": %u, \"mem_mib\": %llu, ",
		m->status, m->o.vcpus, (unsigned long long)m->o.mem_mib);
	fprintf(f, "\"vmm\": {");
	json_u64(f, "pio_exits", mpt_stat_read(&m->n.pio_exits), false);
	json_u64(f, "mmio_exits", mpt_stat_read(&m->n.mmio_exits), false);
	json_u64(f, "unhandled_pio", mpt_stat_read(&m->n.unhandled_pio), false);
	json_u64(f, "unhandled_mmio", mpt_stat_read(&m->n.unhandled_mmio),
		 false);
	json_u64(f, "serial_bytes", mpt_stat_read(&m->n.serial_bytes), false);
	json_u64(f, "pci_accesses", mpt_stat_read(&m->n.pci_accesses), false);
	json_u64(f, "slot_race_retries",
		 mpt_stat_read(&m->n.slot_race_retries), true);
	fprintf(f, "}, ");
	backend_stats(f, m);
	fprintf(f, ", \"devices\": [");
	for (i = 0; i < m->nr_dev; i++) {
		fprintf(f, "%s{\"pci\": \"00:%02x.0\", \"type\": \"%s\", ",
			i ? ", " : "", i + 1, m->dev[i]->type->name);
		core_stats(f, m->dev[i]);
		mgpu_stats(f, m->dev[i]);
		fprintf(f, "}");
	}
	fprintf(f, "]");
	vfio_stats(f, m);
	fprintf(f, "}\n");
	if (f != stderr)
		fclose(f);
	return 0;
}

int mptrun_write_png(const char *path, const u32 *px, unsigned int w,
		     unsigned int h)
{
	png_structp png = NULL;
	png_infop info = NULL;
	u8 *row = malloc((size_t)w * 3);
	FILE *f = fopen(path, "wb");
	unsigned int x, y;
	int ret = -EIO;

	if (!row || !f)
		goto out;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			u32 p = px[(size_t)y * w + x];

			row[3 * x] = (u8)(p >> 16);
			row[3 * x + 1] = (u8)(p >> 8);
			row[3 * x + 2] = (u8)p;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	ret = 0;
out:
	if (png)
		png_destroy_write_struct(&png, info ? &info : NULL);
	if (f && fclose(f))
		ret = -EIO;
	free(row);
	return ret;
}

/* The first mgpu instance's display (the userspace device model). */
static int mgpu_snapshot_png(struct machine *m, const char *path)
{
#if MPTRUN_MGPU
	unsigned int i, w, h;
	u32 *px;
	int ret;

	for (i = 0; i < m->nr_dev && !is_mgpu(m->dev[i]); i++)
		;
	if (i == m->nr_dev) {
		fprintf(stderr, "mptrun: --snapshot: no mgpu device\n");
		return -ENODEV;
	}
	ret = mgpu_snapshot(m->dev[i], &px, &w, &h);
	if (ret) {
		fprintf(stderr, "mptrun: --snapshot: the display has no frame (%d)\n",
			ret);
		return ret;
	}
	ret = mptrun_write_png(path, px, w, h);
	if (ret)
		fprintf(stderr, "mptrun: --snapshot: cannot write %s\n", path);
	mpt_free(px);
	return ret;
#else
	(void)m;
	fprintf(stderr, "mptrun: --snapshot %s: built without mgpu\n", path);
	return -ENODEV;
#endif
}

int mptrun_snapshot(struct machine *m, const char *path)
{
	/* --vfio and --device do not mix: the devices are one or the other. */
	if (m->vfio.nr)
		return mptrun_vfio_snapshot(m->vfio.dev[0], path);
	return mgpu_snapshot_png(m, path);
}
