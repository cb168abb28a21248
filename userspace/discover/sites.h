/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Marker sites recorded by scope_bpf.h in an ELF file's .note.scope_bpf. */
#ifndef SCOPE_SITES_H
#define SCOPE_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct site {
	uint64_t vaddr;	      /* link-time virtual address of the nop */
	uint64_t file_offset; /* where a uprobe goes: offset in the file */
	/* the marker's 5-byte nop (trampoline site), 0 when the marker has
	 * none (scope_bpf.h API version 1: the 1-byte nop alone) */
	uint64_t nop5_offset;
	uint32_t line;
	uint32_t kind; /* SCOPE_BPF_KIND_* */
	/* a function's first instruction, not a marker: it has no nop5 (the
	 * *_NAMED kinds of sites__read_name_functions) */
	bool entry;
	/* region name; "" for END_INNERMOST; for the *_NAMED kinds the
	 * register that holds the run-time name's address (SCOPE_BPF_NAME_REG)
	 */
	char *name;
	char *file; /* source file as the compiler saw it */
};

struct site_list {
	struct site *v;
	size_t n, cap;
};

/* Appends the sites of the ELF file at @path to @out. Returns the number of
 * sites found (0 for an ELF file without markers), -ENOEXEC for a file that is
 * not ELF, -EOPNOTSUPP for an ELF file that is not linked (a .o, a core),
 * -EINVAL for a malformed note or a site outside every executable segment,
 * -EISDIR, or another -errno. On error @out is left as it was. */
int sites__read_elf(const char *path, struct site_list *out);
void site_list__free(struct site_list *list);
/* Sites at the entries of the functions @begin and @end of the ELF file at
 * @path, each of which takes a region's run-time name as its first argument
 * (%rdi): LIKWID's likwid_markerStartRegion and likwid_markerStopRegion.
 * Appends them to @out (kinds *_NAMED, file the function's name, line 0) and
 * returns 2, or 0 when @path does not define both; -errno. */
int sites__read_name_functions(const char *path, const char *begin,
			       const char *end, struct site_list *out);
/* The file offset of function @fn's entry in the ELF file at @path, into
 * *@off: where a uprobe on it goes. 0, -ENOENT, or -errno. */
int sites__function_offset(const char *path, const char *fn, uint64_t *off);
/* Whether @s is a site of a region named at run time (its name is read from
 * the target when it runs). */
bool site__is_named(const struct site *s);

/* A region that has BEGIN sites but no END site in a function, or END sites
 * but no BEGIN: most often a typo (BEGIN(solve) ... END(slove)), though a
 * region may begin in one function and end in another on purpose. */
struct site_unpaired {
	const struct site *site; /* its first site of the kind (by file:line) */
	const char *function;
	uint32_t missing; /* SCOPE_BPF_KIND_END or SCOPE_BPF_KIND_BEGIN */
};

/* Pairs the named sites of @l per (function, region); @functions[i] is the
 * function holding l->v[i] (NULL: unknown, the site is left out). Only
 * counts matter, not order. A function's innermost ENDs (of its block and
 * scope forms) stand in for the END of any BEGIN there without one. Sets *@out
 * (free it) to the unpaired regions in file:line order and returns how many, or
 * -ENOMEM. */
int sites__unpaired(const struct site_list *l, const char *const *functions,
		    struct site_unpaired **out);

#endif /* SCOPE_SITES_H */
