/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * How a device model describes its PCI function.  The core builds the
 * virtual configuration space from this description and emulates the
 * standard parts of it (header, BARs, command register, MSI and MSI-X) so
 * that no device model hand-writes them again.
 */
#ifndef MPT_PCI_H
#define MPT_PCI_H

#include <mpt/types.h>

#define MPT_PCI_NR_BARS 6
#define MPT_PCI_CFG_SIZE 256

/* Standard configuration-space offsets and bits the core emulates. */
#define MPT_PCI_VENDOR_ID 0x00
#define MPT_PCI_DEVICE_ID 0x02
#define MPT_PCI_COMMAND 0x04
#define MPT_PCI_COMMAND_IO 0x0001
#define MPT_PCI_COMMAND_MEMORY 0x0002
#define MPT_PCI_COMMAND_MASTER 0x0004
#define MPT_PCI_COMMAND_PARITY 0x0040
#define MPT_PCI_COMMAND_SERR 0x0100
#define MPT_PCI_COMMAND_INTX_DISABLE 0x0400
#define MPT_PCI_STATUS 0x06
#define MPT_PCI_STATUS_CAP_LIST 0x0010
#define MPT_PCI_STATUS_W1C 0xf900
#define MPT_PCI_REVISION_ID 0x08
#define MPT_PCI_CLASS_PROG 0x09
#define MPT_PCI_CACHE_LINE_SIZE 0x0c
#define MPT_PCI_LATENCY_TIMER 0x0d
#define MPT_PCI_HEADER_TYPE 0x0e
#define MPT_PCI_BAR0 0x10
#define MPT_PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define MPT_PCI_SUBSYSTEM_ID 0x2e
#define MPT_PCI_CAPABILITY_LIST 0x34
#define MPT_PCI_INTERRUPT_LINE 0x3c
#define MPT_PCI_INTERRUPT_PIN 0x3d

#define MPT_PCI_BAR_IO 0x1
#define MPT_PCI_BAR_MEM_64 0x4
#define MPT_PCI_BAR_PREFETCH 0x8

#define MPT_PCI_CAP_ID_MSI 0x05
#define MPT_PCI_CAP_ID_MSIX 0x11
#define MPT_PCI_MSI_FLAGS_ENABLE 0x0001
#define MPT_PCI_MSI_FLAGS_QMASK 0x000e
#define MPT_PCI_MSI_FLAGS_QSIZE 0x0070
#define MPT_PCI_MSI_FLAGS_64BIT 0x0080
#define MPT_PCI_MSI_FLAGS_MASKBIT 0x0100
#define MPT_PCI_MSIX_FLAGS_QSIZE 0x07ff
#define MPT_PCI_MSIX_FLAGS_MASKALL 0x4000
#define MPT_PCI_MSIX_FLAGS_ENABLE 0x8000
#define MPT_PCI_MSIX_ENTRY_SIZE 16
#define MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT 0x1

/* The largest MSI and MSI-X vector counts the core emulates. */
#define MPT_MSI_MAX_VECTORS 32
#define MPT_MSIX_MAX_VECTORS 2048

/**
 * enum mpt_bar_type - what a BAR decodes
 * @MPT_BAR_NONE: the BAR is not implemented and reads as zero
 * @MPT_BAR_MEM32: 32-bit memory BAR
 * @MPT_BAR_MEM64: 64-bit memory BAR; uses the next BAR slot too
 * @MPT_BAR_IO: port I/O BAR
 */
enum mpt_bar_type {
	MPT_BAR_NONE = 0,
	MPT_BAR_MEM32,
	MPT_BAR_MEM64,
	MPT_BAR_IO,
};

/**
 * struct mpt_bar_desc - one BAR of the virtual function
 * @type: what the BAR decodes
 * @size: size in bytes, a power of two: 4 to 256 for I/O BARs, at least
 *	4 KiB for memory BARs so that traps can be claimed per page
 * @prefetchable: set the prefetchable bit of a memory BAR
 */
struct mpt_bar_desc {
	enum mpt_bar_type type;
	u64 size;
	bool prefetchable;
};

/**
 * struct mpt_pci_desc - the PCI identity and resources of a device type
 * @vendor_id: PCI vendor ID
 * @device_id: PCI device ID
 * @subsystem_vendor_id: subsystem vendor ID
 * @subsystem_id: subsystem ID
 * @revision: revision ID
 * @class_code: 24-bit class code (base class, subclass, programming if)
 * @bars: the six BARs; a 64-bit BAR leaves the next entry MPT_BAR_NONE
 * @msi_vectors: number of MSI vectors (0, or a power of two up to 32)
 * @msix_vectors: number of MSI-X vectors (0 to 2048)
 * @msix_bar: BAR holding the MSI-X table and pending-bit array
 * @msix_table_offset: offset of the MSI-X table in @msix_bar (8-aligned)
 * @msix_pba_offset: offset of the pending-bit array in @msix_bar (8-aligned)
 */
struct mpt_pci_desc {
	u16 vendor_id;
	u16 device_id;
	u16 subsystem_vendor_id;
	u16 subsystem_id;
	u8 revision;
	u32 class_code;
	struct mpt_bar_desc bars[MPT_PCI_NR_BARS];
	unsigned int msi_vectors;
	unsigned int msix_vectors;
	unsigned int msix_bar;
	u32 msix_table_offset;
	u32 msix_pba_offset;
};

#endif /* MPT_PCI_H */
