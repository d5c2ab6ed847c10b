/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * PCI: configuration mechanism #1, enumeration of bus 0, BAR sizing and
 * placement in mptrun's MMIO and PIO windows, capability lookup.
 */
#ifndef RT_PCI_H
#define RT_PCI_H

#include <stdint.h>

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_CAP_PTR 0x34

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAP_LIST (1u << 4)

#define PCI_BAR_IO 0x1u
#define PCI_BAR_MEM_TYPE_MASK 0x6u
#define PCI_BAR_MEM_64 0x4u
#define PCI_BAR_PREFETCH 0x8u

#define PCI_CAP_ID_MSI 0x05
#define PCI_MSI_FLAGS 0x02 /* from the capability */
#define PCI_MSI_FLAGS_ENABLE (1u << 0)
#define PCI_MSI_FLAGS_QSIZE (7u << 4)
#define PCI_MSI_FLAGS_64BIT (1u << 7)
#define PCI_MSI_FLAGS_MASKBIT (1u << 8)
#define PCI_MSI_ADDRESS_LO 0x04
#define PCI_MSI_ADDRESS_HI 0x08 /* 64-bit capable only */
#define PCI_MSI_DATA_32 0x08
#define PCI_MSI_DATA_64 0x0c
#define PCI_MSI_MASK_32 0x0c
#define PCI_MSI_MASK_64 0x10

#define PCI_NR_BARS 6
#define PCI_MAX_DEVS 32

struct pci_bar {
	uint32_t addr; /* 0: not implemented or not placed */
	uint32_t size;
	uint8_t io;
	uint8_t is64;
	uint8_t prefetch;
};

struct pci_dev {
	uint8_t bus, dev, fn;
	uint8_t hdr_type;
	uint16_t vendor, device;
	uint32_t class_rev; /* class << 8 | revision */
	struct pci_bar bar[PCI_NR_BARS];
};

uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
uint8_t pci_read8(const struct pci_dev *d, uint8_t off);
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);
void pci_write8(const struct pci_dev *d, uint8_t off, uint8_t v);

/*
 * pci_scan() - find the functions on bus 0, size their BARs and place
 * them in the windows (decoding stays off until pci_enable()).
 *
 * Return: the number of functions found, or -ENOSPC when a window ran out.
 */
int pci_scan(void);

unsigned int pci_count(void);
struct pci_dev *pci_get(unsigned int i);

/* The @index'th function (0-based) with these IDs, or NULL. */
struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned int index);

/* Turn on decoding of the placed BARs, and bus mastering. */
void pci_enable(struct pci_dev *d);

/* The offset of the first capability @id, 0 if none (walks the list,
 * guarding against loops). */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id);

#endif /* RT_PCI_H */
