// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Address -> function lookup from an ELF symbol table, for checks that need
 * to know which function a marker site was compiled into. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover/symbols.h"

struct func {
	uint64_t start;
	uint64_t size;
	char *name; /* up to the first '.', which no C or C++ name holds */
};

struct symbols {
	struct func *v;
	size_t n;
	uint64_t max_size; /* bounds the backward scan of a lookup */
};

static int symbols__push(struct symbols *s, const GElf_Sym *sym,
			 const char *name)
{
	struct func *v = realloc(s->v, (s->n + 1) * sizeof(*v));
	char *base;

	if (!v)
		return -ENOMEM;
	s->v = v;
	base = strndup(name, strcspn(name, "."));
	if (!base)
		return -ENOMEM;
	v[s->n++] = (struct func){ sym->st_value, sym->st_size, base };
	if (sym->st_size > s->max_size)
		s->max_size = sym->st_size;
	return 0;
}

static int symbols__read_table(struct symbols *s, Elf *elf, Elf_Scn *scn,
			       const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	const char *name;
	size_t i, n;
	GElf_Sym sym;
	int err;

	if (!data || !sh->sh_entsize)
		return -EINVAL;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < n; i++) {
		if (!gelf_getsym(data, i, &sym))
			return -EINVAL;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_size ||
		    sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name)
			continue;
		err = symbols__push(s, &sym, name);
		if (err)
			return err;
	}
	return 0;
}

Elf_Scn *symbols__find_table(Elf *elf, GElf_Shdr *out)
{
	Elf_Scn *scn = NULL, *dynsym = NULL;
	GElf_Shdr sh, dynsh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return NULL;
		if (sh.sh_type == SHT_SYMTAB) {
			*out = sh;
			return scn;
		}
		if (sh.sh_type == SHT_DYNSYM) {
			dynsym = scn;
			dynsh = sh;
		}
	}
	if (dynsym)
		*out = dynsh;
	return dynsym;
}

static int func__cmp_start(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static int symbols__read(struct symbols *s, const char *path)
{
	Elf *elf = NULL;
	Elf_Scn *scn;
	GElf_Shdr sh;
	int fd, err = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ELIBBAD;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		err = -ENOEXEC;
		goto cleanup;
	}
	scn = symbols__find_table(elf, &sh);
	if (scn)
		err = symbols__read_table(s, elf, scn, &sh);
	if (!err && s->n)
		qsort(s->v, s->n, sizeof(*s->v), func__cmp_start);
cleanup:
	elf_end(elf);
	close(fd);
	return err;
}

struct symbols *symbols__new(const char *path)
{
	struct symbols *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return NULL;
	err = symbols__read(s, path);
	if (err) {
		symbols__free(s);
		errno = -err;
		return NULL;
	}
	return s;
}

/* The last function that starts at or below @vaddr, then back over those
 * that may still reach it (aliases share a start; no function is longer
 * than max_size). */
const char *symbols__function(const struct symbols *s, uint64_t vaddr)
{
	size_t lo = 0, hi = s->n, i;

	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (s->v[i].start <= vaddr)
			lo = i + 1;
		else
			hi = i;
	}
	for (i = lo; i-- > 0;) {
		if (vaddr - s->v[i].start < s->v[i].size)
			return s->v[i].name;
		if (vaddr - s->v[i].start >= s->max_size)
			break;
	}
	return NULL;
}

int symbols__find(const struct symbols *s, const char *name, uint64_t *vaddr)
{
	for (size_t i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].name, name)) {
			*vaddr = s->v[i].start;
			return 0;
		}
	}
	return -ENOENT;
}

/* gfortran: "__" module "_MOD_" procedure. A module name holds no "_MOD_"
 * (Fortran names are letters, digits and underscores, and this one would
 * be the mangler's own), so the first one splits. */
int symbols__fortran_name(const char *sym, char *out, size_t size)
{
	const char *mod = "_MOD_", *sep;
	size_t mlen;
	int n;

	if (strncmp(sym, "__", 2))
		return -EINVAL;
	sep = strstr(sym + 2, mod);
	mlen = sep ? (size_t)(sep - sym - 2) : 0;
	if (!mlen || !sep[strlen(mod)])
		return -EINVAL;
	n = snprintf(out, size, "%.*s::%s", (int)mlen, sym + 2,
		     sep + strlen(mod));
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

size_t symbols__count(const struct symbols *s)
{
	return s->n;
}

void symbols__free(struct symbols *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s);
}

/* Any defined symbol, functions and data alike, of .symtab then .dynsym. */
static int find_in_table(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh,
			 const char *name, uint64_t *vaddr)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	const char *n;
	GElf_Sym sym;

	if (!data || !sh->sh_entsize)
		return -EINVAL;
	for (size_t i = 0; i < sh->sh_size / sh->sh_entsize; i++) {
		if (!gelf_getsym(data, i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		n = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (n && !strcmp(n, name)) {
			*vaddr = sym.st_value;
			return 0;
		}
	}
	return -ENOENT;
}

int symbols__address(const char *path, const char *name, uint64_t *vaddr)
{
	Elf_Scn *scn = NULL;
	int fd, err = -ENOENT;
	GElf_Shdr sh;
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ELIBBAD;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	while (elf && err == -ENOENT && (scn = elf_nextscn(elf, scn))) {
		if (gelf_getshdr(scn, &sh) &&
		    (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			err = find_in_table(elf, scn, &sh, name, vaddr);
	}
	elf_end(elf);
	close(fd);
	return elf ? err : -ENOEXEC;
}
