/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * What the runtime asks of Xen when it runs as a PVH domU: hypercalls
 * through the page Xen fills in, the other vCPUs started the PVH way
 * (VCPUOP_initialise + VCPUOP_up: Xen starts only vCPU 0 at the entry,
 * where mptrun starts them all), and guest pages given back and taken
 * again, which is what a balloon driver does and what makes Xen send its
 * ioreq servers IOREQ_TYPE_INVALIDATE.
 *
 * Everything here is a no-op returning -ENODEV when the guest does not
 * run on Xen (on mptrun, for instance).
 */
#ifndef RT_XEN_H
#define RT_XEN_H

#include <stdint.h>

/*
 * xen_init() - find Xen (CPUID) and install the hypercall page
 * Return: 0 on Xen, -ENODEV elsewhere.
 */
int xen_init(void);

/* Whether xen_init() found Xen. */
int xen_present(void);

/*
 * xen_start_vcpus() - start every other vCPU the domain has at the entry
 * @eip: where they start (32-bit flat protected mode, paging off)
 * @magic: their EAX, so the entry can tell them from a PVH boot
 *
 * Each vCPU i gets EBX = i, its CPU index (Xen's LAPIC IDs are 2 * i, so
 * the entry cannot derive the index from the LAPIC ID as on mptrun).
 * Return: the number of vCPUs started, or -ENODEV off Xen.
 */
int xen_start_vcpus(uint32_t eip, uint32_t magic, unsigned int max);

/*
 * xen_page_give_back() - XENMEM_decrease_reservation of one page
 * @gfn: a page of the guest's RAM; it has no memory behind it after this
 * Return: 0, -ENODEV off Xen, or -EIO if Xen refused.
 */
int xen_page_give_back(uint32_t gfn);

/*
 * xen_page_take() - XENMEM_populate_physmap of one page
 * @gfn: a page given back before; fresh memory is put behind it
 * Return: 0, -ENODEV off Xen, or -EIO if Xen refused.
 */
int xen_page_take(uint32_t gfn);

#endif /* RT_XEN_H */
