/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mgpu: the programming interface of the mpt reference GPU.
 *
 * Shared by the device model (samples/mgpu/) and the guest driver
 * (guest/), so it is freestanding C: fixed-width integers only.
 *
 * The device is a PCI function (vendor MGPU_VENDOR_ID, device
 * MGPU_DEVICE_ID, class 0x038000) with one 32-bit memory BAR (BAR0,
 * MGPU_BAR0_SIZE) and one MSI vector.  BAR0 holds:
 *
 *   0x000000 - 0x000fff  registers (32-bit, 4-byte aligned accesses only)
 *   0x008000 - 0x008fff  the paravirtual info page (mpt/pvinfo.h layout)
 *   0x040000 - 0x05ffff  the global GTT: MGPU_GGTT_ENTRIES 64-bit entries
 *
 * Graphics addresses (GA): the device reaches guest memory only through
 * page tables.  The global GTT (GGTT) maps GA [0, MGPU_GGTT_SPAN) page by
 * page; an entry is MGPU_PTE_VALID | guest-physical address of the page.
 * A context may bind a per-process page table (PPGTT, CTX_PD register): a
 * page directory of 512 entries (MGPU_PTE_VALID | gpa of a page table),
 * each page table 512 entries (MGPU_PTE_VALID | gpa of a data page), so a
 * PPGTT spans 1 GiB.  While CTX_PD is non-zero, addresses in commands are
 * PPGTT addresses; the ring, TAIL_ADDR and the display plane always use
 * the GGTT.  The device keeps a shadow of both tables; the guest may
 * modify PPGTT pages in place while they are in use (the device tracks
 * writes to them).
 *
 * Command ring: RING_BASE (GA, page aligned) and RING_SIZE (bytes, a power
 * of two from 4 KiB to 64 KiB).  The driver writes commands at the tail and
 * publishes the new tail (a byte offset) either by writing RING_TAIL (one
 * trapped write) or by storing it in the u32 at GA TAIL_ADDR and writing
 * any value to DOORBELL (which a hypervisor may deliver without an exit).
 * The device validates the whole submission [head, tail) first (see
 * "scanner" below); if it is valid it executes it, sets RING_HEAD = tail and
 * raises MSI vector 0 when a command asked for it; if not, it executes
 * nothing, sets ERROR and IRQ_STATUS.ERROR, RING_HEAD = tail (not for
 * MGPU_ERR_RING, see below), and raises the interrupt.  A RING_TAIL write is executed before the write completes; a
 * DOORBELL that the hypervisor delivers without an exit is executed
 * asynchronously, so a driver waits for its STORE_DWORD seqno either way.
 *
 * Commands are little-endian dwords.  The header dword holds the opcode in
 * bits 31:24 and the command's total length in dwords in bits 7:0.
 *
 * The scanner refuses a submission if any command: has an unknown opcode
 * or a length other than its opcode's; reaches a graphics address (every
 * byte a FILL, BLIT or STORE touches) that is not mapped by a valid entry;
 * nests batches deeper than MGPU_MAX_BATCH_DEPTH; makes the submission
 * exceed MGPU_MAX_CMDS commands or MGPU_MAX_PIXELS pixels of work; has a
 * rectangle wider than its stride; or is privileged (LOAD_REGISTER_IMM).
 * A privileged command, and a guest write to a reserved field of the info
 * page, put the device in FAILSAFE: it ignores submissions until reset.
 *
 * Details the text above leaves open, as the device model implements them:
 *
 * Registers.  Offsets in [0, 0x1000) that name no register read as 0 and
 * ignore writes; so does DOORBELL on reads.  Read-only registers ignore
 * writes.  CTRL keeps only IRQ_ENABLE; a write with RESET set resets the
 * device and the write's other bits are ignored (RESET reads as 0).  The
 * reset puts the device in its power-on state: every register (CTRL,
 * ring, plane, scratch, counters) at its initial value, every GGTT entry
 * invalid, no PPGTT, FAILSAFE cleared; the PCI configuration space is not
 * touched (a PCI function-level reset does the same and resets it too).
 * STATUS.IDLE is always set: a submission has completed by the time the
 * guest can read a register.  STATUS.ERROR is set with IRQ_STATUS.ERROR
 * and cleared when the guest clears IRQ_STATUS.ERROR; ERROR keeps its
 * value until the next refusal or reset.  CTX_PD ignores bits 11:0 (they
 * read as 0).  PLANE_ENABLE keeps bit 0.  Writing RING_BASE or RING_SIZE
 * starts a new, empty ring: RING_HEAD and RING_TAIL become 0.
 *
 * Page-table entries.  Bits 11:1 and 63:52 are ignored.  An entry whose
 * page is not guest RAM maps nothing, as an invalid one.  A GGTT entry may
 * be written as one 64-bit access or as two 32-bit halves (4- or 8-byte
 * aligned accesses only); each write takes effect at once, so between the
 * halves the entry is what the two halves say together.  The guest reads
 * back what it wrote.
 *
 * Submissions.  [head, tail) wraps at RING_SIZE and a command may straddle
 * the end of the ring; tail == head submits nothing (no interrupt).  A
 * doorbell latches the tail it read in RING_TAIL.  MGPU_ERR_RING covers:
 * RING_SIZE not a power of two in 4 KiB..64 KiB, RING_BASE not page
 * aligned, any page of the ring not mapped by the GGTT, a tail not below
 * RING_SIZE or not 4-byte aligned, and for DOORBELL a TAIL_ADDR not 4-byte
 * aligned or not mapped.  After MGPU_ERR_RING RING_HEAD does not move
 * (after any other refusal it becomes the tail).  MGPU_ERR_OPCODE also
 * covers a command cut off by the end of the submission and BATCH_END in
 * the ring.  MGPU_ERR_ADDRESS also covers a STORE_DWORD or BATCH_START
 * address that is not 4-byte aligned and a batch running into unmapped
 * memory; FILL and BLIT addresses need no alignment.  Every command counts
 * against MGPU_MAX_CMDS, NOOP and batch markers included; FILL and BLIT
 * count width * height against MGPU_MAX_PIXELS.  width * 4 <= stride is
 * required of every rectangle, empty ones included.  The error reported is
 * that of the first offending command in execution order; within one
 * command the checks are made in the order RECT, BUDGET, ADDRESS.
 * STAT_CMDS counts every command of accepted submissions, batches
 * included; STAT_REJECTED counts refused submissions.
 *
 * Completion.  Each INTERRUPT, and each refusal, sets its IRQ_STATUS bit
 * and sends one MSI (vector 0) if CTRL.IRQ_ENABLE is set.
 *
 * PPGTT.  Changes to the directory and tables, by the guest's CPU or by
 * the device's own commands (a STORE_DWORD into a table page), take effect
 * for the commands after them.  Memory a command reaches through an entry
 * that became invalid after the scan reads as zeroes and drops writes.
 *
 * FAILSAFE.  The device ignores submissions, doorbells, GGTT writes and
 * register writes other than CTRL.RESET and IRQ_STATUS acknowledgements;
 * reads keep working (ERROR says MGPU_ERR_PRIVILEGED after an LRI).  A
 * write to a reserved info-page field takes effect no later than the
 * guest's next access to the device.  Leaving it takes CTRL.RESET or a
 * PCI function-level reset.
 */
#ifndef MGPU_HW_H
#define MGPU_HW_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define MGPU_VENDOR_ID 0x4d50 /* "MP" */
#define MGPU_DEVICE_ID 0x4750 /* "GP" */
#define MGPU_CLASS 0x038000
#define MGPU_BAR0_SIZE (2u << 20)

/* BAR0 layout. */
#define MGPU_REGS_OFFSET 0x000000
#define MGPU_REGS_SIZE 0x1000
#define MGPU_PVINFO_OFFSET 0x008000
#define MGPU_GGTT_OFFSET 0x040000
#define MGPU_GGTT_ENTRIES 16384u
#define MGPU_GGTT_SPAN ((uint64_t)MGPU_GGTT_ENTRIES << 12) /* 64 MiB */

/* Registers (offsets in BAR0). */
#define MGPU_REG_ID 0x000 /* RO: MGPU_ID */
#define MGPU_REG_VERSION 0x004 /* RO: MGPU_VERSION */
#define MGPU_REG_STATUS 0x008 /* RO: MGPU_STATUS_* */
#define MGPU_REG_ERROR 0x00c /* RO: MGPU_ERR_* of the last refusal */
#define MGPU_REG_CTRL 0x010 /* RW: MGPU_CTRL_* */
#define MGPU_REG_IRQ_STATUS 0x014 /* W1C: MGPU_IRQ_* */
#define MGPU_REG_RING_BASE 0x020 /* RW: GA of the ring, page aligned */
#define MGPU_REG_RING_SIZE 0x024 /* RW: bytes, power of two, 4K..64K */
#define MGPU_REG_RING_HEAD 0x028 /* RO: byte offset consumed */
#define MGPU_REG_RING_TAIL 0x02c /* RW: byte offset; a write submits */
#define MGPU_REG_CTX_PD 0x030 /* RW: gpa of the PPGTT directory, 0: none */
#define MGPU_REG_TAIL_ADDR 0x034 /* RW: GA of the u32 DOORBELL reads */
#define MGPU_REG_DOORBELL 0x038 /* WO: submit up to *TAIL_ADDR */
#define MGPU_REG_PLANE_BASE 0x040 /* RW: GA of the framebuffer */
#define MGPU_REG_PLANE_WIDTH 0x044 /* RW: pixels */
#define MGPU_REG_PLANE_HEIGHT 0x048 /* RW: pixels */
#define MGPU_REG_PLANE_STRIDE 0x04c /* RW: bytes */
#define MGPU_REG_PLANE_FORMAT 0x050 /* RW: MGPU_FORMAT_* */
#define MGPU_REG_PLANE_ENABLE 0x054 /* RW: 1 shows the plane */
#define MGPU_REG_STAT_CMDS 0x060 /* RO: commands executed */
#define MGPU_REG_STAT_REJECTED 0x064 /* RO: submissions refused */
#define MGPU_REG_SCRATCH0 0x080 /* RW: 8 scratch registers */
#define MGPU_NR_SCRATCH 8

#define MGPU_ID 0x5550474d /* "MGPU" */
#define MGPU_VERSION 0x00010000

#define MGPU_STATUS_IDLE (1u << 0)
#define MGPU_STATUS_FAILSAFE (1u << 1)
#define MGPU_STATUS_ERROR (1u << 2)

#define MGPU_CTRL_RESET (1u << 0) /* write 1: device reset */
#define MGPU_CTRL_IRQ_ENABLE (1u << 1)

#define MGPU_IRQ_COMPLETE (1u << 0)
#define MGPU_IRQ_ERROR (1u << 1)

#define MGPU_ERR_NONE 0
#define MGPU_ERR_OPCODE 1 /* unknown opcode or wrong length */
#define MGPU_ERR_ADDRESS 2 /* unmapped graphics address */
#define MGPU_ERR_DEPTH 3 /* batches nested too deep */
#define MGPU_ERR_BUDGET 4 /* too many commands or pixels */
#define MGPU_ERR_PRIVILEGED 5 /* privileged command: failsafe */
#define MGPU_ERR_RING 6 /* bad ring registers or tail */
#define MGPU_ERR_RECT 7 /* rectangle wider than its stride */

#define MGPU_FORMAT_XRGB8888 1

/* Page-table entries (GGTT, PPGTT directory and tables). */
#define MGPU_PTE_VALID 1ull
#define MGPU_PTE_ADDR_MASK 0x000ffffffffff000ull
#define MGPU_PT_ENTRIES 512u
#define MGPU_PPGTT_SPAN (1ull << 30)

/* Scanner limits. */
#define MGPU_MAX_BATCH_DEPTH 2 /* ring -> batch -> batch */
#define MGPU_MAX_CMDS 65536u /* per submission */
#define MGPU_MAX_PIXELS (64u << 20) /* per submission */

/* Commands: header = opcode << 24 | length in dwords. */
#define MGPU_CMD(op, len) (((uint32_t)(op) << 24) | (uint32_t)(len))
#define MGPU_CMD_OPCODE(h) ((h) >> 24)
#define MGPU_CMD_LENGTH(h) ((h) & 0xff)

/* NOOP: [hdr] */
#define MGPU_OP_NOOP 0x01
#define MGPU_LEN_NOOP 1
/* FILL_RECT: [hdr, dst GA, dst stride, width | height << 16, XRGB color] */
#define MGPU_OP_FILL 0x10
#define MGPU_LEN_FILL 5
/* BLIT_RECT: [hdr, dst GA, dst stride, src GA, src stride,
 *             width | height << 16] (XRGB8888, regions must not overlap) */
#define MGPU_OP_BLIT 0x11
#define MGPU_LEN_BLIT 6
/* BATCH_START: [hdr, GA of a batch buffer ending with BATCH_END] */
#define MGPU_OP_BATCH_START 0x20
#define MGPU_LEN_BATCH_START 2
/* BATCH_END: [hdr]; ends a batch (in the ring: an error) */
#define MGPU_OP_BATCH_END 0x21
#define MGPU_LEN_BATCH_END 1
/* STORE_DWORD: [hdr, GA (4-byte aligned), value] */
#define MGPU_OP_STORE_DWORD 0x30
#define MGPU_LEN_STORE_DWORD 3
/* INTERRUPT: [hdr]; raise MSI vector 0 (IRQ_STATUS.COMPLETE) */
#define MGPU_OP_INTERRUPT 0x31
#define MGPU_LEN_INTERRUPT 1
/* LOAD_REGISTER_IMM: [hdr, register, value]; privileged: guests may not */
#define MGPU_OP_LRI 0x7f
#define MGPU_LEN_LRI 3

/* Guest-to-host messages (info page g2v_notify). */
#define MGPU_G2V_DISPLAY_READY 1 /* payload[0]: plane enabled */

/* Info-page capability bits and ranges. */
#define MGPU_CAP_PPGTT (1u << 0)
#define MGPU_PVINFO_RANGE_GGTT 0 /* GA range of the GGTT the guest owns */

#endif /* MGPU_HW_H */
