// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads the marker sites that scope_bpf.h records in .note.scope_bpf. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scope_bpf.h>

#include "common/array.h"
#include "common/log.h"
#include "discover/sites.h"
#include "discover/symbols.h"

#define SITES_SECTION ".note.scope_bpf"
/* desc: u64 vaddr, u32 line, u32 kind, then two NUL-terminated strings */
#define SITES_DESC_FIXED 16

struct elf_file {
	Elf *elf;
	/* the whole file, mapped shared: the kernel puts uprobe breakpoints
	 * into every private mapping of a probed file that may execute,
	 * libelf's own included, so a private map would show this or another
	 * agent's probes (int3, a call) instead of the marker nops */
	const unsigned char *raw;
	uint64_t size;	/* of the file: no site offset may point past it */
	int msb;	/* desc integers are in the file's byte order */
	size_t skipped; /* sites whose address holds no marker nop */
};

static uint64_t desc__u64(const unsigned char *p, int msb)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return msb ? be64toh(v) : le64toh(v);
}

static uint32_t desc__u32(const unsigned char *p, int msb)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return msb ? be32toh(v) : le32toh(v);
}

/* The file offset of @vaddr: uprobes are placed by (inode, offset). Only an
 * executable PT_LOAD can hold a nop that runs; -ERANGE when none holds it. */
static int elf_file__offset(const struct elf_file *ef, uint64_t vaddr,
			    uint64_t *off)
{
	GElf_Phdr ph;
	size_t i, n;

	if (elf_getphdrnum(ef->elf, &n))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(ef->elf, i, &ph))
			return -EINVAL;
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (vaddr < ph.p_vaddr || vaddr - ph.p_vaddr >= ph.p_filesz)
			continue;
		*off = vaddr - ph.p_vaddr + ph.p_offset;
		return *off < ef->size ? 0 : -EINVAL;
	}
	return -ERANGE;
}

/* A uprobe on anything but the marker's nop would put an int3 inside some
 * other instruction of the target; a note whose function the linker
 * discarded (--gc-sections) points at address 0 or at unrelated code. */
static int elf_file__check_nop(const struct elf_file *ef, uint64_t off)
{
	return ef->raw && off < ef->size && ef->raw[off] == 0x90 ? 0 : -ERANGE;
}

/* A version 2 marker follows its 1-byte nop with lea, nop5, lea; a version
 * 1 marker does not, and its site has no trampoline form. */
static uint64_t elf_file__nop5(const struct elf_file *ef, uint64_t off)
{
	static const char form[] = SCOPE_BPF_NOP5_FORM;

	_Static_assert(sizeof(form) - 1 == SCOPE_BPF_NOP5_FORM_LEN,
		       "SCOPE_BPF_NOP5_FORM_LEN");
	if (off + 1 + SCOPE_BPF_NOP5_FORM_LEN > ef->size ||
	    memcmp(ef->raw + off + 1, form, SCOPE_BPF_NOP5_FORM_LEN))
		return 0;
	return off + SCOPE_BPF_NOP5_OFFSET;
}

static int site_list__push(struct site_list *list, const struct site *s)
{
	char *name = strdup(s->name);
	char *file = strdup(s->file);

	if (!name || !file || ARRAY_RESERVE(list->v, list->cap, list->n + 1)) {
		free(name);
		free(file);
		return -ENOMEM;
	}
	list->v[list->n] = *s;
	list->v[list->n].name = name;
	list->v[list->n].file = file;
	list->n++;
	return 0;
}

static void site_list__truncate(struct site_list *list, size_t n)
{
	while (list->n > n) {
		list->n--;
		free(list->v[list->n].name);
		free(list->v[list->n].file);
	}
}

void site_list__free(struct site_list *list)
{
	if (!list)
		return;
	site_list__truncate(list, 0);
	free(list->v);
	list->v = NULL;
}

/* Named markers need a name; the innermost end has none by definition; a
 * run-time name's site names its register, and one this reader does not
 * know (a later header's) is skipped like a discarded site, not refused. */
static int site__check_kind(const struct site *s)
{
	switch (s->kind) {
	case SCOPE_BPF_KIND_BEGIN:
	case SCOPE_BPF_KIND_END:
		return s->name[0] ? 0 : -EINVAL;
	case SCOPE_BPF_KIND_END_INNERMOST:
		return s->name[0] ? -EINVAL : 0;
	case SCOPE_BPF_KIND_BEGIN_NAMED:
	case SCOPE_BPF_KIND_END_NAMED:
		return strcmp(s->name, SCOPE_BPF_NAME_REG) ? -ERANGE : 0;
	default:
		return -EINVAL;
	}
}

bool site__is_named(const struct site *s)
{
	return s->kind == SCOPE_BPF_KIND_BEGIN_NAMED ||
	       s->kind == SCOPE_BPF_KIND_END_NAMED;
}

/* Decodes one desc; every string must end inside it. */
static int elf_file__parse_desc(const struct elf_file *ef,
				const unsigned char *desc, size_t size,
				struct site *s)
{
	const unsigned char *end = desc + size, *nul;
	int err;

	if (size < SITES_DESC_FIXED + 2)
		return -EINVAL;
	s->name = (char *)desc + SITES_DESC_FIXED;
	nul = memchr(s->name, '\0', end - (unsigned char *)s->name);
	if (!nul || !memchr(nul + 1, '\0', end - (nul + 1)))
		return -EINVAL;
	s->file = (char *)nul + 1;
	s->vaddr = desc__u64(desc, ef->msb);
	s->line = desc__u32(desc + 8, ef->msb);
	s->kind = desc__u32(desc + 12, ef->msb);
	err = site__check_kind(s);
	if (err)
		return err;
	err = elf_file__offset(ef, s->vaddr, &s->file_offset);
	if (!err)
		err = elf_file__check_nop(ef, s->file_offset);
	if (!err)
		s->nop5_offset = elf_file__nop5(ef, s->file_offset);
	return err;
}

static int note__is_site(const GElf_Nhdr *nh, const char *owner)
{
	static const char want[] = SCOPE_BPF_NOTE_OWNER;

	return nh->n_type == SCOPE_BPF_NOTE_SITE &&
	       nh->n_namesz == sizeof(want) &&
	       !memcmp(owner, want, sizeof(want));
}

static int elf_file__read_notes(struct elf_file *ef, Elf_Scn *scn,
				struct site_list *out)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t off = 0, next, name_off, desc_off;
	struct site s;
	GElf_Nhdr nh;
	int err;

	if (!data)
		return -EINVAL;
	while (off < data->d_size) {
		/* gelf_getnote returns 0 when a header or a size runs past
		 * the section: that is a malformed note, not the end. */
		next = gelf_getnote(data, off, &nh, &name_off, &desc_off);
		if (!next)
			return -EINVAL;
		if (note__is_site(&nh, (char *)data->d_buf + name_off)) {
			err = elf_file__parse_desc(
				ef, (unsigned char *)data->d_buf + desc_off,
				nh.n_descsz, &s);
			if (!err)
				err = site_list__push(out, &s);
			else if (err == -ERANGE)
				err = 0, ef->skipped++;
			if (err)
				return err;
		}
		off = next;
	}
	return 0;
}

static int elf_file__read_sites(struct elf_file *ef, struct site_list *out)
{
	Elf_Scn *scn = NULL;
	const char *name;
	size_t shstrndx;
	GElf_Shdr sh;
	int err;

	if (elf_getshdrstrndx(ef->elf, &shstrndx))
		return -EINVAL;
	while ((scn = elf_nextscn(ef->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return -EINVAL;
		if (sh.sh_type != SHT_NOTE)
			continue;
		name = elf_strptr(ef->elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, SITES_SECTION))
			continue;
		err = elf_file__read_notes(ef, scn, out);
		if (err)
			return err;
	}
	return 0;
}

/* Opens a regular file; O_NONBLOCK so that a FIFO cannot hang us. */
static int sites__open(const char *path, uint64_t *size)
{
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC;
	}
	*size = st.st_size;
	return fd;
}

/* Only linked objects have final addresses; a .o or a core has none. A
 * section table past the end of the file (a truncated copy) reads as no
 * sections in libelf: call it malformed rather than "no markers". */
static int elf_file__check(const struct elf_file *ef)
{
	GElf_Ehdr eh;
	size_t shnum;

	if (!gelf_getehdr(ef->elf, &eh))
		return -ENOEXEC;
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return -EOPNOTSUPP;
	if (elf_getshdrnum(ef->elf, &shnum) || (eh.e_shoff && !shnum))
		return -EINVAL;
	return 0;
}

int sites__read_elf(const char *path, struct site_list *out)
{
	struct elf_file ef = { 0 };
	size_t n0 = out->n;
	char *ident;
	int fd, err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ELIBBAD;
	fd = sites__open(path, &ef.size);
	if (fd < 0)
		return fd;
	ef.elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!ef.elf || elf_kind(ef.elf) != ELF_K_ELF) {
		err = -ENOEXEC;
		goto cleanup;
	}
	ef.raw = ef.size ? mmap(NULL, ef.size, PROT_READ, MAP_SHARED, fd, 0) :
			   MAP_FAILED;
	if (ef.raw == MAP_FAILED)
		ef.raw = NULL;
	ident = elf_getident(ef.elf, NULL);
	ef.msb = ident && ident[EI_DATA] == ELFDATA2MSB;
	err = elf_file__check(&ef);
	if (!err)
		err = elf_file__read_sites(&ef, out);
	if (ef.skipped)
		pr_warn("%s: %zu marker sites point at no marker nop (code the linker discarded?): skipped\n",
			path, ef.skipped);
cleanup:
	if (err) {
		pr_debug("%s: cannot read marker sites: %s\n", path,
			 strerror(-err));
		site_list__truncate(out, n0);
	}
	elf_end(ef.elf);
	if (ef.raw)
		munmap((void *)ef.raw, ef.size);
	close(fd);
	return err ? err : (int)(out->n - n0);
}

/* The site of function @fn's entry, of @kind, into @s; -ENOENT if none. */
static int elf_file__entry_site(const struct elf_file *ef,
				const struct symbols *syms, const char *fn,
				uint32_t kind, struct site *s)
{
	int err = symbols__find(syms, fn, &s->vaddr);

	*s = (struct site){ .vaddr = s->vaddr,
			    .kind = kind,
			    .entry = true,
			    .name = SCOPE_BPF_NAME_REG,
			    .file = (char *)fn };
	if (!err)
		err = elf_file__offset(ef, s->vaddr, &s->file_offset);
	return err == -ERANGE ? -ENOENT : err;
}

int sites__function_offset(const char *path, const char *fn, uint64_t *off)
{
	struct symbols *syms = symbols__new(path);
	struct elf_file ef = { 0 };
	uint64_t vaddr;
	int fd, err;

	if (!syms)
		return -errno;
	err = symbols__find(syms, fn, &vaddr);
	symbols__free(syms);
	if (err)
		return err;
	fd = sites__open(path, &ef.size);
	if (fd < 0)
		return fd;
	ef.elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	err = ef.elf ? elf_file__check(&ef) : -ENOEXEC;
	if (!err)
		err = elf_file__offset(&ef, vaddr, off);
	elf_end(ef.elf);
	close(fd);
	return err == -ERANGE ? -ENOENT : err;
}

int sites__read_name_functions(const char *path, const char *begin,
			       const char *end, struct site_list *out)
{
	struct symbols *syms = symbols__new(path);
	struct elf_file ef = { 0 };
	struct site b, e;
	size_t n0 = out->n;
	int fd, err;

	if (!syms)
		return -errno;
	fd = sites__open(path, &ef.size);
	if (fd < 0) {
		symbols__free(syms);
		return fd;
	}
	ef.elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	err = ef.elf ? elf_file__check(&ef) : -ENOEXEC;
	if (!err)
		err = elf_file__entry_site(&ef, syms, begin,
					   SCOPE_BPF_KIND_BEGIN_NAMED, &b);
	if (!err)
		err = elf_file__entry_site(&ef, syms, end,
					   SCOPE_BPF_KIND_END_NAMED, &e);
	if (!err)
		err = site_list__push(out, &b);
	if (!err)
		err = site_list__push(out, &e);
	if (err)
		site_list__truncate(out, n0);
	elf_end(ef.elf);
	close(fd);
	symbols__free(syms);
	if (err == -ENOENT)
		return 0;
	return err ? err : 2;
}

static int site__cmp_location(const struct site *x, const struct site *y)
{
	int c = strcmp(x->file, y->file);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Groups a function's sites of a region, BEGINs first, each in file:line
 * order, so a group's first BEGIN and first END are easy to find. */
static int unpaired__cmp_group(const void *a, const void *b)
{
	const struct site_unpaired *x = a, *y = b;
	int c = strcmp(x->function, y->function);

	if (!c)
		c = strcmp(x->site->name, y->site->name);
	if (!c)
		c = (x->site->kind > y->site->kind) -
		    (x->site->kind < y->site->kind);
	return c ? c : site__cmp_location(x->site, y->site);
}

static int unpaired__cmp_location(const void *a, const void *b)
{
	const struct site_unpaired *x = a, *y = b;

	return site__cmp_location(x->site, y->site);
}

static int unpaired__same_group(const struct site_unpaired *x,
				const struct site_unpaired *y)
{
	return !strcmp(x->function, y->function) &&
	       !strcmp(x->site->name, y->site->name);
}

/* Compacts @v (sorted into groups) in place to one entry per unpaired
 * group, whose first site then stands for the group. The innermost ENDs
 * of a function (name "", so its first group) close its block and scope
 * forms, whose BEGINs have no named END: a BEGIN without a named END is
 * taken as closed by them. A typo still shows, through its END. */
static size_t unpaired__reduce(struct site_unpaired *v, size_t n)
{
	size_t i = 0, j, out = 0;
	int begins, ends, innermost = 0;

	while (i < n) {
		if (!i || strcmp(v[i].function, v[i - 1].function))
			innermost = 0;
		begins = ends = 0;
		for (j = i; j < n && unpaired__same_group(&v[j], &v[i]); j++) {
			begins += v[j].site->kind == SCOPE_BPF_KIND_BEGIN;
			ends += v[j].site->kind != SCOPE_BPF_KIND_BEGIN;
		}
		if (!v[i].site->name[0])
			innermost = 1;
		else if (!begins || (!ends && !innermost)) {
			v[out] = v[i];
			v[out++].missing = begins ? SCOPE_BPF_KIND_END :
						    SCOPE_BPF_KIND_BEGIN;
		}
		i = j;
	}
	return out;
}

int sites__unpaired(const struct site_list *l, const char *const *functions,
		    struct site_unpaired **out)
{
	struct site_unpaired *v = calloc(l->n ? l->n : 1, sizeof(*v));
	size_t i, n = 0;

	*out = NULL;
	if (!v)
		return -ENOMEM;
	/* a run-time name pairs at run time, if at all */
	for (i = 0; i < l->n; i++) {
		if (functions[i] && !site__is_named(&l->v[i]))
			v[n++] = (struct site_unpaired){ &l->v[i], functions[i],
							 0 };
	}
	qsort(v, n, sizeof(*v), unpaired__cmp_group);
	n = unpaired__reduce(v, n);
	qsort(v, n, sizeof(*v), unpaired__cmp_location);
	*out = v;
	return n;
}
