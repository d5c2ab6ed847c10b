// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Loading the guest: an ELF32 or ELF64 x86 executable whose PT_LOAD
 * segments go to their physical addresses, entered at its Xen PVH entry
 * note (XEN_ELFNOTE_PHYS32_ENTRY) or else at e_entry.
 *
 * Everything in the file is checked before a byte is loaded: a bad or
 * truncated image, a segment outside RAM or over the start-info page, or
 * an entry point outside the loaded segments is refused with a message
 * naming the problem.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mptrun.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MAX_IMAGE (512ULL << 20)
#define MAX_PHDRS 64

/* A program header, whichever class it came from. */
struct seg {
	u32 type;
	u64 offset;
	u64 paddr;
	u64 filesz;
	u64 memsz;
};

struct image {
	const u8 *buf;
	u64 size;
	bool is64;
	u64 entry;
	struct seg seg[MAX_PHDRS];
	unsigned int nr;
	char *err;
	size_t errlen;
};

static int fail(struct image *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct image *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(im->err, im->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Whether [off, off + len) lies in the file. */
static bool in_file(const struct image *im, u64 off, u64 len)
{
	return off <= im->size && len <= im->size - off;
}

static int read_header(struct image *im, u64 *phoff, u64 *phentsize)
{
	const Elf32_Ehdr *e32 = (const void *)im->buf;
	const Elf64_Ehdr *e64 = (const void *)im->buf;
	u16 machine;

	if (im->size < EI_NIDENT || memcmp(im->buf, ELFMAG, SELFMAG))
		return fail(im, "not an ELF file");
	if (im->buf[EI_CLASS] != ELFCLASS32 && im->buf[EI_CLASS] != ELFCLASS64)
		return fail(im, "unknown ELF class %u", im->buf[EI_CLASS]);
	im->is64 = im->buf[EI_CLASS] == ELFCLASS64;
	if (im->buf[EI_DATA] != ELFDATA2LSB)
		return fail(im, "not a little-endian ELF file");
	if (im->buf[EI_VERSION] != EV_CURRENT)
		return fail(im, "unknown ELF version %u", im->buf[EI_VERSION]);
	if (im->size < (im->is64 ? sizeof(*e64) : sizeof(*e32)))
		return fail(im, "truncated ELF header (%llu bytes)",
			    (unsigned long long)im->size);
	machine = im->is64 ? e64->e_machine : e32->e_machine;
	if (machine != EM_386 && machine != EM_X86_64)
		return fail(im, "not an x86 executable (e_machine %u)",
			    machine);
	if ((im->is64 ? e64->e_type : e32->e_type) != ET_EXEC)
		return fail(im, "not an executable (ET_EXEC) image");
	im->entry = im->is64 ? e64->e_entry : e32->e_entry;
	*phoff = im->is64 ? e64->e_phoff : e32->e_phoff;
	*phentsize = im->is64 ? e64->e_phentsize : e32->e_phentsize;
	im->nr = im->is64 ? e64->e_phnum : e32->e_phnum;
	if (*phentsize != (im->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return fail(im, "bad program header size %llu",
			    (unsigned long long)*phentsize);
	if (!im->nr || im->nr > MAX_PHDRS)
		return fail(im, "%u program headers (1 to %u supported)",
			    im->nr, MAX_PHDRS);
	if (!in_file(im, *phoff, *phentsize * im->nr))
		return fail(im, "program headers beyond the end of the file (truncated?)");
	return 0;
}

static void read_phdrs(struct image *im, u64 phoff)
{
	unsigned int i;

	for (i = 0; i < im->nr; i++) {
		struct seg *s = &im->seg[i];

		if (im->is64) {
			const Elf64_Phdr *p =
				(const void *)(im->buf + phoff + i * sizeof(*p));

			*s = (struct seg){ p->p_type, p->p_offset, p->p_paddr,
					   p->p_filesz, p->p_memsz };
		} else {
			const Elf32_Phdr *p =
				(const void *)(im->buf + phoff + i * sizeof(*p));

			*s = (struct seg){ p->p_type, p->p_offset, p->p_paddr,
					   p->p_filesz, p->p_memsz };
		}
	}
}

static int check_loads(struct image *im, u64 ram)
{
	const u64 si = MPTRUN_START_INFO_GPA, si_end = si + MPTRUN_START_INFO_SIZE;
	unsigned int i, j, loads = 0;

	for (i = 0; i < im->nr; i++) {
		const struct seg *s = &im->seg[i];

		if (s->type != PT_LOAD || !s->memsz)
			continue;
		loads++;
		if (!in_file(im, s->offset, s->filesz))
			return fail(im, "segment %u: file data beyond the end of the file (truncated?)",
				    i);
		if (s->filesz > s->memsz)
			return fail(im, "segment %u: file size above memory size",
				    i);
		if (s->paddr > ram || s->memsz > ram - s->paddr)
			return fail(im, "segment %u: [%#llx, %#llx) is outside guest RAM [0, %#llx)",
				    i, (unsigned long long)s->paddr,
				    (unsigned long long)(s->paddr + s->memsz),
				    (unsigned long long)ram);
		if (s->paddr < si_end && si < s->paddr + s->memsz)
			return fail(im, "segment %u: [%#llx, %#llx) overlaps the start info page at %#llx",
				    i, (unsigned long long)s->paddr,
				    (unsigned long long)(s->paddr + s->memsz),
				    (unsigned long long)si);
		for (j = 0; j < i; j++) {
			const struct seg *t = &im->seg[j];

			if (t->type == PT_LOAD && t->memsz &&
			    s->paddr < t->paddr + t->memsz &&
			    t->paddr < s->paddr + s->memsz)
				return fail(im, "segments %u and %u overlap", j,
					    i);
		}
	}
	if (!loads)
		return fail(im, "no loadable segment");
	return 0;
}

/* Look for the PVH entry note in one PT_NOTE segment. */
static int scan_notes(struct image *im, const struct seg *s, u64 *entry,
		      bool *found)
{
	u64 off = s->offset, end = s->offset + s->filesz;

	if (!in_file(im, s->offset, s->filesz))
		return fail(im, "note segment beyond the end of the file (truncated?)");
	while (end - off >= 12) {
		const u8 *name = im->buf + off + 12, *desc;
		u64 namesz, descsz, name_len, desc_len;
		u32 h[3];

		memcpy(h, im->buf + off, sizeof(h));
		namesz = h[0];
		descsz = h[1];

		name_len = (namesz + 3) & ~3ULL;
		desc_len = (descsz + 3) & ~3ULL;
		if (name_len > end - off - 12 ||
		    desc_len > end - off - 12 - name_len)
			return fail(im, "malformed ELF note at file offset %#llx",
				    (unsigned long long)off);
		desc = name + name_len;
		if (namesz == 4 && !memcmp(name, "Xen", 4) &&
		    h[2] == XEN_ELFNOTE_PHYS32_ENTRY) {
			u32 e32;

			if (descsz == 4) {
				memcpy(&e32, desc, 4);
				*entry = e32;
			} else if (descsz == 8) {
				memcpy(entry, desc, 8);
			} else {
				return fail(im, "XEN_ELFNOTE_PHYS32_ENTRY of %llu bytes",
					    (unsigned long long)descsz);
			}
			*found = true;
		}
		off += 12 + name_len + desc_len;
	}
	return 0;
}

static int find_entry(struct image *im, u64 *entry)
{
	bool found = false, inside = false;
	unsigned int i;
	int ret;

	*entry = im->entry;
	for (i = 0; i < im->nr; i++) {
		if (im->seg[i].type != PT_NOTE)
			continue;
		ret = scan_notes(im, &im->seg[i], entry, &found);
		if (ret)
			return ret;
	}
	for (i = 0; i < im->nr; i++) {
		const struct seg *s = &im->seg[i];

		if (s->type == PT_LOAD && *entry - s->paddr < s->memsz)
			inside = true;
	}
	if (!inside || *entry >= 1ULL << 32)
		return fail(im, "%s %#llx is outside the loaded segments",
			    found ? "PVH entry point" : "entry point",
			    (unsigned long long)*entry);
	return 0;
}

static u8 *read_file(const char *path, u64 *size, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	u8 *buf = NULL;
	u64 got = 0;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (u64)st.st_size > MAX_IMAGE) {
		snprintf(err, errlen, "not a regular file of at most %llu MiB",
			 MAX_IMAGE >> 20);
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (got < (u64)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			snprintf(err, errlen, "read error");
			free(buf);
			buf = NULL;
			goto out;
		}
		got += (u64)n;
	}
	*size = got;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

int mptrun_load_elf(struct machine *m, const char *path, char *err,
		    size_t errlen)
{
	struct image im = { .err = err, .errlen = errlen };
	u64 phoff = 0, phentsize = 0, entry = 0;
	u8 *buf;
	unsigned int i;
	int ret;

	buf = read_file(path, &im.size, err, errlen);
	if (!buf)
		return -EINVAL;
	im.buf = buf;
	ret = read_header(&im, &phoff, &phentsize);
	if (!ret) {
		read_phdrs(&im, phoff);
		ret = check_loads(&im, m->ram_size);
	}
	if (!ret)
		ret = find_entry(&im, &entry);
	if (!ret) {
		for (i = 0; i < im.nr; i++) {
			const struct seg *s = &im.seg[i];

			if (s->type != PT_LOAD || !s->memsz)
				continue;
			memcpy(m->ram + s->paddr, buf + s->offset, s->filesz);
			memset(m->ram + s->paddr + s->filesz, 0,
			       s->memsz - s->filesz);
		}
		m->entry = (u32)entry;
	}
	free(buf);
	return ret;
}
