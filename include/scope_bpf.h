/* SPDX-License-Identifier: MIT */
/*
 * scope_bpf.h: region markers that scope-bpf attaches to; header-only, nothing
 * to link.
 *
 *     #include <scope_bpf.h>
 *
 *     void step(void) {
 *         SCOPE_BPF_SCOPE(step);      // the form to use first, in C and C++:
 *         ...                         // ends where the enclosing scope ends
 *     }                               // (return, break, goto, C++ exception)
 *
 *     SCOPE_BPF_BEGIN(solve);
 *     solve(grid);
 *     SCOPE_BPF_END(solve);
 *
 *     SCOPE_BPF_REGION(halo) {        // block form: ends on any exit of the
 *         exchange(grid);             // block, but it is a one-pass loop, so
 *     }                               // see below before using break in it
 *
 * Beware: SCOPE_BPF_REGION is a hidden one-pass `for` loop, so
 * `break` or `continue` in its block leaves the block, not the loop around
 * it: a loop body `SCOPE_BPF_REGION(r) { if (i == 3) break; }` does not
 * stop the loop. Mark such a body with SCOPE_BPF_SCOPE(r) as its first line.
 *
 * The region argument is a bare identifier: SCOPE_BPF_BEGIN("solve") is a
 * compile error that names scope_bpf_region_name_must_be_an_identifier, with
 * markers disabled too. Each marker is two probe sites in 19 bytes of code
 * plus an ELF note that records the first site's address, the region name,
 * the source file and the line, so `scope-bpf list` and the agent find every
 * region from the ELF file alone, stripped or not:
 *
 *     nop                        1-byte nop: the trap site (int3, emulated)
 *     lea -0x80(%rsp),%rsp       step over the red zone
 *     nopl 0x0(%rax,%rax,1)      5-byte nop: the trampoline site
 *     lea 0x80(%rsp),%rsp        and back (lea changes no flags)
 *
 * The kernel (6.18 and later, x86-64) turns a probed 5-byte nop into a call
 * to a [uprobes] trampoline, cheaper than a trap on some hosts, dearer on
 * others: the agent picks a site per host (--site-mode). The call pushes a
 * return address below %rsp; the two lea keep it below the 128-byte red zone
 * of a leaf function, so the marker is safe inline anywhere. With no agent
 * attached it costs four instructions that do nothing (docs/markers.md).
 *
 * Names computed at run time (API version 3) take a NUL-terminated string:
 *
 *     char name[32];
 *     snprintf(name, sizeof(name), "level_%d", level);
 *     scope_bpf_begin_named(name);
 *     ...
 *     scope_bpf_end_named(name);      // the same name, any address
 *
 * The site is the same 19 bytes with the string's address in %rdi; the
 * probe reads the string once per address and caches it, checking on each
 * hit that the address still holds it (the first SCOPE_BPF_NAME_MAX - 1
 * bytes are the name; longer names are cut there). Two addresses that hold
 * the same string are the same region; a buffer rewritten with another name
 * is another region. A run-time name and an identifier marker of the same
 * name are one region in the report, but a region begun by one form must
 * end by the same form. The name must point at a readable string, as for
 * any C string function (the macro reads its first byte). These two
 * statements (macros, so each call is a site with its own file and line)
 * are the whole run-time API and stay as they are (docs/markers.md).
 *
 * Compile with -DSCOPE_BPF_DISABLE and every marker expands to nothing that
 * runs or takes space (the name check stays); the named forms then do
 * nothing but evaluate their argument.
 */
#ifndef SCOPE_BPF_H
#define SCOPE_BPF_H

#define SCOPE_BPF_API_VERSION 3

/* ELF note layout (owner "scope_bpf", type SCOPE_BPF_NOTE_SITE). The desc is:
 * u64 site address (link-time virtual address of the 1-byte nop), u32 line,
 * u32 kind, then the NUL-terminated region name and source file. It is the
 * layout of API version 1, whose markers were the 1-byte nop alone, so agents
 * of either age read binaries of either age; a reader tells the two forms
 * apart by the bytes that follow the nop (SCOPE_BPF_NOP5_FORM). */
#define SCOPE_BPF_NOTE_OWNER "scope_bpf"
#define SCOPE_BPF_NOTE_SITE  1
#define SCOPE_BPF_KIND_BEGIN 1
#define SCOPE_BPF_KIND_END   2
/* End of whatever region is innermost on the thread: the block and scope
 * forms use it because their end runs in a shared inline function. */
#define SCOPE_BPF_KIND_END_INNERMOST 3
/* A region named at run time (API version 3): the note's name field names
 * the register that holds the address of the NUL-terminated name at the
 * site (SCOPE_BPF_NAME_REG: "rdi", the only one so far). */
#define SCOPE_BPF_KIND_BEGIN_NAMED 4
#define SCOPE_BPF_KIND_END_NAMED   5
#define SCOPE_BPF_NAME_REG	   "rdi"
/* Bytes of a run-time name the probe reads, its NUL included. */
#define SCOPE_BPF_NAME_MAX 64
/* A language binding that keeps each name in a string of its own may follow
 * the name's NUL with this tag, then "file:line" and a NUL: the profile then
 * gives the region that location (the binding's caller's) rather than the
 * site's. Read once per name and address, not on each hit. */
#define SCOPE_BPF_NAME_AT "scope_bpf.at="

/* What follows the 1-byte nop of a version 2 marker, byte for byte; its
 * 5-byte nop starts SCOPE_BPF_NOP5_OFFSET bytes after the 1-byte one. */
#define SCOPE_BPF_NOP5_FORM                                                    \
	"\x48\x8d\x64\x24\x80\x0f\x1f\x44\x00\x00"                             \
	"\x48\x8d\xa4\x24\x80\x00\x00\x00"
#define SCOPE_BPF_NOP5_FORM_LEN 18
#define SCOPE_BPF_NOP5_OFFSET	6

#define SCOPE_BPF__STR2(x)	#x
#define SCOPE_BPF__STR(x)	SCOPE_BPF__STR2(x)
#define SCOPE_BPF__CAT2(a, b)	a##b
#define SCOPE_BPF__CAT(a, b)	SCOPE_BPF__CAT2(a, b)
#define SCOPE_BPF__UNIQ(prefix) SCOPE_BPF__CAT(prefix, __COUNTER__)
/* BEGIN and END paste their name onto the prefix
 * scope_bpf_region_name_must_be_an_identifier_, enabled or not, so that a
 * name that is no identifier (SCOPE_BPF_BEGIN("solve")) stops the build in
 * the preprocessor with a message that quotes that prefix, rather than with
 * an assembler error or, disabled, not at all. They paste (and stringify)
 * the argument themselves so that a name is never macro-expanded first, as
 * #name never was. The pasted identifier becomes a string literal: */
#define SCOPE_BPF__CHECKED(ident) SCOPE_BPF__STR(ident)

#if defined(SCOPE_BPF_DISABLE) || !defined(__x86_64__) || !defined(__GNUC__)

#define SCOPE_BPF_BEGIN(name)                                                  \
	((void)SCOPE_BPF__CHECKED(                                             \
		scope_bpf_region_name_must_be_an_identifier_##name))
#define SCOPE_BPF_END(name)                                                    \
	((void)SCOPE_BPF__CHECKED(                                             \
		scope_bpf_region_name_must_be_an_identifier_##name))
/* still a one-pass loop, so `break` and `continue` mean the same with and
 * without markers */
#define SCOPE_BPF__REGION(name, once)                                          \
	for (int once = (SCOPE_BPF_BEGIN(name), 1); once; once = 0)
#define SCOPE_BPF_REGION(name)                                                 \
	SCOPE_BPF__REGION(name, SCOPE_BPF__UNIQ(scope_bpf__once))
/* a declaration, like the real one, so it may sit among declarations, and
 * one that no compiler calls unused */
#define SCOPE_BPF_SCOPE(name)                                                  \
	enum {                                                                 \
		SCOPE_BPF__UNIQ(scope_bpf__scope) =                            \
			sizeof(SCOPE_BPF_BEGIN(name), 0)                       \
	}

#define scope_bpf_begin_named(name) ((void)(const char *)(name))
#define scope_bpf_end_named(name)   ((void)(const char *)(name))

#else

/* The "memory" clobber keeps the compiler from moving the region's loads and
 * stores across its markers (work on registers alone may still move). The
 * "?" flag puts the note in the section group of the function around it, so
 * a marked inline function or template emitted in several C++ translation
 * units keeps one note per kept copy and links. */
/* The assembler text reads as it is emitted. The site's code is spelt in
 * bytes, not mnemonics, so that no assembler picks another encoding of the
 * same lea: readers find the 5-byte nop by matching SCOPE_BPF_NOP5_FORM. */
/* clang-format off */
#define SCOPE_BPF__SITE(kind, name, comment)                                   \
	__asm__ __volatile__(                                                  \
		comment                                                        \
		"990:\tnop\n"                                                  \
		"\t.byte 0x48, 0x8d, 0x64, 0x24, 0x80\t# lea -0x80(%%rsp),%%rsp\n" \
		"\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\t# nop5\n"              \
		"\t.byte 0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00"        \
		"\t# lea 0x80(%%rsp),%%rsp\n"                                  \
		"\t.pushsection .note.scope_bpf,\"?\",@note\n"                  \
		"\t.balign 4\n"                                                \
		"\t.4byte 992f-991f, 994f-993f, " SCOPE_BPF__STR(              \
			SCOPE_BPF_NOTE_SITE) "\n"                              \
		"991:\t.asciz \"" SCOPE_BPF_NOTE_OWNER "\"\n"                  \
		"992:\t.balign 4\n"                                            \
		"993:\t.8byte 990b\n"                                          \
		"\t.4byte " SCOPE_BPF__STR(__LINE__) ", " SCOPE_BPF__STR(      \
			kind) "\n"                                             \
		"\t.asciz \"" name "\"\n"                                      \
		"\t.asciz \"" __FILE__ "\"\n"                                  \
		"994:\t.balign 4\n"                                            \
		"\t.popsection\n" ::                                           \
			: "memory")
/* clang-format on */

/* A run-time name's site: the site above with the name's address pinned
 * in %rdi ("D"), which the note's name field says. */
/* clang-format off */
#define SCOPE_BPF__NAMED(kind, ptr)                                            \
	__asm__ __volatile__(                                                  \
		"990:\tnop\n"                                                  \
		"\t.byte 0x48, 0x8d, 0x64, 0x24, 0x80\t# lea -0x80(%%rsp),%%rsp\n" \
		"\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\t# nop5\n"              \
		"\t.byte 0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00"        \
		"\t# lea 0x80(%%rsp),%%rsp\n"                                  \
		"\t.pushsection .note.scope_bpf,\"?\",@note\n"                  \
		"\t.balign 4\n"                                                \
		"\t.4byte 992f-991f, 994f-993f, " SCOPE_BPF__STR(              \
			SCOPE_BPF_NOTE_SITE) "\n"                              \
		"991:\t.asciz \"" SCOPE_BPF_NOTE_OWNER "\"\n"                  \
		"992:\t.balign 4\n"                                            \
		"993:\t.8byte 990b\n"                                          \
		"\t.4byte " SCOPE_BPF__STR(__LINE__) ", " SCOPE_BPF__STR(      \
			kind) "\n"                                             \
		"\t.asciz \"" SCOPE_BPF_NAME_REG "\"\n"                       \
		"\t.asciz \"" __FILE__ "\"\n"                                  \
		"994:\t.balign 4\n"                                            \
		"\t.popsection\n" ::"D"(ptr)                                    \
			: "memory")
/* clang-format on */

/* Macros, so that each is a site of its own with its caller's file and
 * line; a function that wraps them (a language binding) is one site for
 * all its callers. The load of the name's first byte maps its page in the
 * process: a probe cannot fault a page in, and a literal nothing else reads
 * (in .rodata, not touched yet) would be unreadable to it. */
#define SCOPE_BPF__NAMED_AT(kind, name)                                        \
	do {                                                                   \
		const char *scope_bpf__name = (name);                          \
		(void)*(const volatile char *)scope_bpf__name;                 \
		SCOPE_BPF__NAMED(kind, scope_bpf__name);                       \
	} while (0)
#define scope_bpf_begin_named(name)                                            \
	SCOPE_BPF__NAMED_AT(SCOPE_BPF_KIND_BEGIN_NAMED, (name))
#define scope_bpf_end_named(name)                                              \
	SCOPE_BPF__NAMED_AT(SCOPE_BPF_KIND_END_NAMED, (name))

/* The checked name lands in an assembler comment, where it costs nothing. */
#define SCOPE_BPF__NAMED_SITE(kind, str, ident)                                \
	SCOPE_BPF__SITE(kind, str, "\t# " SCOPE_BPF__CHECKED(ident) "\n")
#define SCOPE_BPF_BEGIN(name)                                                  \
	SCOPE_BPF__NAMED_SITE(                                                 \
		SCOPE_BPF_KIND_BEGIN, #name,                                   \
		scope_bpf_region_name_must_be_an_identifier_##name)
#define SCOPE_BPF_END(name)                                                    \
	SCOPE_BPF__NAMED_SITE(                                                 \
		SCOPE_BPF_KIND_END, #name,                                     \
		scope_bpf_region_name_must_be_an_identifier_##name)

static inline __attribute__((always_inline)) void
scope_bpf__end_innermost(int *unused)
{
	(void)unused;
	SCOPE_BPF__SITE(SCOPE_BPF_KIND_END_INNERMOST, "", "");
}

#define SCOPE_BPF__REGION(name, once)                                          \
	for (int once __attribute__((cleanup(scope_bpf__end_innermost))) =     \
		     __extension__({                                           \
			     SCOPE_BPF_BEGIN(name);                            \
			     1;                                                \
		     });                                                       \
	     once; once = 0)
#define SCOPE_BPF_REGION(name)                                                 \
	SCOPE_BPF__REGION(name, SCOPE_BPF__UNIQ(scope_bpf__once))

/* One declaration, so it is no statement before declarations. */
#define SCOPE_BPF_SCOPE(name)                                                  \
	int SCOPE_BPF__UNIQ(scope_bpf__scope)                                  \
		__attribute__((cleanup(scope_bpf__end_innermost), unused)) =   \
			__extension__({                                        \
				SCOPE_BPF_BEGIN(name);                         \
				0;                                             \
			})

#endif /* SCOPE_BPF_DISABLE */

#endif /* SCOPE_BPF_H */
