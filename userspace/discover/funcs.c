// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --func patterns against an ELF file's function symbols: names matched and
 * shown demangled, each function once by address, with the file offset and
 * first instruction its probes need. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/array.h"
#include "discover/funcs.h"
#include "discover/symbols.h"

/* The C++ runtime's demangler (libstdc++, extern "C"). */
extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len,
			    int *status);

static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* The ':' that ends LIB, or NULL: the first that is not half of "::". */
static const char *lib_colon(const char *spec)
{
	for (const char *c = strchr(spec, ':'); c; c = strchr(c + 1, ':')) {
		if (c[1] == ':') {
			c++;
			continue;
		}
		return c;
	}
	return NULL;
}

int func_patterns__add(struct func_patterns *p, const char *spec)
{
	const char *colon = lib_colon(spec);
	struct func_pattern *pat;

	if (!*spec || (colon && (colon == spec || !colon[1])))
		return -EINVAL;
	if (ARRAY_RESERVE(p->v, p->cap, p->n + 1))
		return -ENOMEM;
	pat = &p->v[p->n];
	*pat = (struct func_pattern){ 0 };
	pat->glob = strdup(colon ? colon + 1 : spec);
	if (colon)
		pat->lib = strndup(spec, colon - spec);
	if (!pat->glob || (colon && !pat->lib)) {
		free(pat->glob);
		free(pat->lib);
		return -ENOMEM;
	}
	p->n++;
	return 0;
}

/* @s without its leading and trailing blanks, in place. */
static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

int func_patterns__add_file(struct func_patterns *p, const char *path,
			    size_t *line)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	char *buf = NULL, *s;
	int err = 0;

	*line = 0;
	if (!f)
		return -errno;
	while (!err && getline(&buf, &cap, f) >= 0) {
		++*line;
		s = trim(buf);
		if (*s && *s != '#')
			err = func_patterns__add(p, s);
	}
	if (!err && ferror(f))
		err = -EIO;
	free(buf);
	fclose(f);
	return err;
}

void func_patterns__free(struct func_patterns *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].lib);
		free(p->v[i].glob);
	}
	free(p->v);
	*p = (struct func_patterns){ 0 };
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Two paths name one file (a symlink to a library is the library). */
static bool same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (!strcmp(a, b))
		return true;
	return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

bool func_pattern__applies(const struct func_pattern *pat, const char *name,
			   bool is_exe)
{
	const char *base = base_name(name);
	size_t len;

	if (!pat->lib)
		return is_exe;
	if (strchr(pat->lib, '/'))
		return same_file(pat->lib, name);
	len = strlen(pat->lib);
	return !strncmp(base, pat->lib, len) &&
	       (!base[len] || base[len] == '.' || base[len] == '-');
}

/* Where the name starts in a demangled template function's "RET
 * NAME<T>(ARGS)": past the last space outside <> and () before the last
 * top-level '(' (the parameters; a trailing " const" comes after it). */
static const char *past_return_type(const char *d)
{
	const char *params = NULL, *start = d;
	int depth = 0;

	for (const char *c = d; *c; c++) {
		if (*c == '(' && !depth)
			params = c;
		depth += *c == '<' || *c == '(';
		depth -= (*c == '>' || *c == ')') && depth > 0;
	}
	depth = 0;
	for (const char *c = d; params && c < params; c++) {
		depth += *c == '<' || *c == '(';
		depth -= (*c == '>' || *c == ')') && depth > 0;
		if (*c == ' ' && !depth)
			start = c + 1;
	}
	return start;
}

char *funcs__demangle(const char *name)
{
	char fortran[512];
	int status = -1;
	char *d = NULL, *out;

	/* gfortran's module procedures: __solver_MOD_relax is solver::relax */
	if (!symbols__fortran_name(name, fortran, sizeof(fortran)))
		return strdup(fortran);
	if (!strncmp(name, "_Z", 2))
		d = __cxa_demangle(name, NULL, NULL, &status);
	if (!d || status) {
		free(d);
		return strdup(name);
	}
	out = strdup(past_return_type(d));
	free(d);
	return out;
}

/* A GCC clone's suffix: .isra.N, .constprop.N, .lto_priv.N are callable
 * copies of the function (named after it); .cold and .part.N are pieces
 * of a function entered from its own body, not calls. */
static bool is_fragment(const char *suffix)
{
	return strstr(suffix, ".cold") || strstr(suffix, ".part.");
}

struct candidate {
	struct func f;
	size_t pattern; /* the first pattern that matched it */
	bool global;
};

struct cand_list {
	struct candidate *v;
	size_t n, cap;
};

/* The first pattern of @pats for this object that matches the function
 * (raw, or demangled in *@dem), or -1. */
static long match_patterns(const struct func_patterns *pats,
			   const bool *applies, const char *raw,
			   const char *dem)
{
	for (size_t i = 0; i < pats->n; i++) {
		if (!applies[i])
			continue;
		if (!fnmatch(pats->v[i].glob, dem, 0) ||
		    !fnmatch(pats->v[i].glob, raw, 0))
			return i;
	}
	return -1;
}

/* The file offset of link-time address @vaddr: in a PT_LOAD segment's
 * file bytes, else -ENOENT. */
static int vaddr_offset(Elf *elf, uint64_t vaddr, uint64_t *off)
{
	size_t n;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

struct reader {
	int fd;
	Elf *elf;
	const struct func_patterns *pats;
	const bool *applies;
	struct cand_list *out;
};

static int consider(struct reader *r, const GElf_Sym *sym, const char *name)
{
	const char *dot = strchr(name, '.');
	char *raw = strndup(name, dot ? (size_t)(dot - name) : strlen(name));
	unsigned char head[4];
	struct candidate c = { 0 };
	long pat;
	int err = 0;

	if (!raw)
		return -ENOMEM;
	c.f.name = funcs__demangle(raw);
	if (!c.f.name) {
		err = -ENOMEM;
		goto cleanup;
	}
	pat = match_patterns(r->pats, r->applies, raw, c.f.name);
	if (pat < 0 || vaddr_offset(r->elf, sym->st_value, &c.f.offset))
		goto cleanup;
	c.f.vaddr = sym->st_value;
	c.f.size = sym->st_size;
	c.f.endbr = sym->st_size >= 4 &&
		    pread(r->fd, head, 4, c.f.offset) == 4 &&
		    !memcmp(head, endbr64, 4);
	c.f.cxx = !strncmp(raw, "_Z", 2);
	c.pattern = pat;
	c.global = GELF_ST_BIND(sym->st_info) != STB_LOCAL;
	if (ARRAY_RESERVE(r->out->v, r->out->cap, r->out->n + 1)) {
		err = -ENOMEM;
		goto cleanup;
	}
	r->out->v[r->out->n++] = c;
	c.f.name = NULL;
cleanup:
	free(c.f.name);
	free(raw);
	return err;
}

static int read_symbols(struct reader *r, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	const char *name;
	GElf_Sym sym;
	int err = 0;

	if (!data || !sh->sh_entsize)
		return -EINVAL;
	for (size_t i = 0; !err && i < sh->sh_size / sh->sh_entsize; i++) {
		if (!gelf_getsym(data, i, &sym))
			return -EINVAL;
		/* an IFUNC symbol is its resolver, not the function */
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_size ||
		    sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(r->elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (strchr(name, '.') && is_fragment(strchr(name, '.')))
			continue;
		err = consider(r, &sym, name);
	}
	return err;
}

/* By address; at one address the global name first, then the shortest:
 * `exp` rather than `__exp` or `__exp_finite`. */
static int cand_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	size_t lx = strlen(x->f.name), ly = strlen(y->f.name);

	if (x->f.vaddr != y->f.vaddr)
		return x->f.vaddr < y->f.vaddr ? -1 : 1;
	if (x->global != y->global)
		return x->global ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->f.name, y->f.name);
}

/* Counts each pattern once per function among the aliases [from, to). */
static void count_group(struct func_patterns *pats, const struct cand_list *c,
			size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		bool first = true;

		for (size_t j = from; j < i && first; j++)
			first = c->v[j].pattern != c->v[i].pattern;
		if (first)
			pats->v[c->v[i].pattern].matched++;
	}
}

/* The first of each address into @out; the aliases are freed. */
static int keep_unique(struct func_patterns *pats, struct cand_list *c,
		       struct func_list *out)
{
	size_t i = 0, j, added = 0;

	qsort(c->v, c->n, sizeof(*c->v), cand_cmp);
	while (i < c->n) {
		for (j = i + 1; j < c->n && c->v[j].f.vaddr == c->v[i].f.vaddr;
		     j++)
			;
		if (ARRAY_RESERVE(out->v, out->cap, out->n + 1))
			return -ENOMEM;
		count_group(pats, c, i, j);
		out->v[out->n++] = c->v[i].f;
		c->v[i].f.name = NULL;
		added++;
		i = j;
	}
	return added;
}

static int match_file(struct reader *r, const char *path, struct cand_list *c)
{
	Elf_Scn *scn;
	GElf_Shdr sh;
	int err = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ELIBBAD;
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (r->fd < 0)
		return -errno;
	r->elf = elf_begin(r->fd, ELF_C_READ_MMAP, NULL);
	r->out = c;
	if (!r->elf || elf_kind(r->elf) != ELF_K_ELF)
		err = -ENOEXEC;
	scn = err ? NULL : symbols__find_table(r->elf, &sh);
	if (scn)
		err = read_symbols(r, scn, &sh);
	elf_end(r->elf);
	close(r->fd);
	return err;
}

int funcs__match(const char *path, const char *name, bool is_exe,
		 struct func_patterns *pats, struct func_list *out)
{
	bool *applies = calloc(pats->n ?: 1, sizeof(*applies));
	struct cand_list c = { 0 };
	struct reader r = { .pats = pats, .applies = applies };
	bool any = false;
	int err = 0;

	if (!applies)
		return -ENOMEM;
	for (size_t i = 0; i < pats->n; i++) {
		applies[i] = func_pattern__applies(&pats->v[i], name, is_exe);
		any |= applies[i];
	}
	if (any)
		err = match_file(&r, path, &c);
	if (!err && c.n)
		err = keep_unique(pats, &c, out);
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].f.name);
	free(c.v);
	free(applies);
	return err;
}

void func_list__free(struct func_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	*l = (struct func_list){ 0 };
}
