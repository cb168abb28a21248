/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The function symbols of an ELF file: which function holds an address. */
#ifndef SCOPE_SYMBOLS_H
#define SCOPE_SYMBOLS_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

struct symbols;

/* The ELF file's symbol table: .symtab, which has every function, or
 * .dynsym (the exported ones) in a stripped file; its header into @out.
 * NULL when it has neither. */
Elf_Scn *symbols__find_table(Elf *elf, GElf_Shdr *out);

/* Reads the sized STT_FUNC symbols of the ELF file at @path from .symtab, or
 * from .dynsym where there is no .symtab (a stripped file). A file without
 * either gives an empty table. NULL with errno set on error. */
struct symbols *symbols__new(const char *path);
/* The name of the function whose [value, value + size) holds the link-time
 * address @vaddr, or NULL. GCC's clones and split parts (solve.cold,
 * solve.part.0, solve.isra.0, solve.constprop.0) are named after their
 * function: "solve". Valid until symbols__free. */
const char *symbols__function(const struct symbols *s, uint64_t vaddr);
/* The start of function @name (a plain name: no clone or split part) into
 * *@vaddr. 0 or -ENOENT. */
int symbols__find(const struct symbols *s, const char *name, uint64_t *vaddr);
/* The link-time address of symbol @name (a function or data, defined) of
 * the ELF file at @path, into *@vaddr. 0, -ENOENT, or -errno. */
int symbols__address(const char *path, const char *name, uint64_t *vaddr);
/* gfortran's name of a module procedure, "__solver_MOD_relax", as
 * "solver::relax" into @out (@size bytes). 0, -EINVAL for a symbol of
 * another form, -ENOSPC when @out is too small. */
int symbols__fortran_name(const char *sym, char *out, size_t size);
/* How many function symbols were read (0 for a stripped executable). */
size_t symbols__count(const struct symbols *s);
void symbols__free(struct symbols *s);

#endif /* SCOPE_SYMBOLS_H */
