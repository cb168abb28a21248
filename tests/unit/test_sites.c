// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Discovery: marker sites from ELF notes (tests/progs/markers), the
 * functions that hold them, BEGIN/END pairing, the region table, a process's
 * mapped objects, PATH lookup, and `scope-bpf list`. */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <scope_bpf.h>

#include "testutil.h"

#include "cli/cmd_list.h"
#include "cli/commands.h"
#include "profile/regions.h"
#include "discover/sites.h"
#include "discover/symbols.h"
#include "discover/target.h"

#define MARKERS	    TEST_PROG("markers")
#define MARKERS_SRC "tests/progs/markers.c"

static char tmpdir[] = "/tmp/scope-test-sites.XXXXXX";
static char **test_argv;

/* ---- helpers -------------------------------------------------------- */

static char *tmp_path(const char *name)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, name);
	return buf;
}

static int run_quiet(const char *fmt, const char *a, const char *b)
{
	char cmd[2 * PATH_MAX + 256];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

/* The line of the @nth (from 1) source line of markers.c holding @needle. */
static uint32_t src_line(const char *needle, int nth)
{
	FILE *f = fopen(MARKERS_SRC, "r");
	char buf[512];
	uint32_t line = 0;

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (strstr(buf, needle) && --nth == 0)
			break;
	}
	fclose(f);
	assert_int_equal(nth, 0);
	return line;
}

static size_t count_sites(const struct site_list *l, const char *name,
			  uint32_t kind, uint32_t line)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].name, name) && l->v[i].kind == kind &&
		    (!line || l->v[i].line == line))
			n++;
	}
	return n;
}

static int str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Every site is a 1-byte nop at its file offset: where a uprobe goes; the
 * markers of this tree's header also have a 5-byte nop, 6 bytes on. */
static void assert_nops(const char *path, const struct site_list *l)
{
	static const unsigned char nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	unsigned char byte, five[5];
	size_t i;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	for (i = 0; i < l->n; i++) {
		assert_int_equal(pread(fd, &byte, 1, l->v[i].file_offset), 1);
		assert_int_equal(byte, 0x90);
		assert_int_equal(l->v[i].nop5_offset,
				 l->v[i].file_offset + SCOPE_BPF_NOP5_OFFSET);
		assert_int_equal(pread(fd, five, 5, l->v[i].nop5_offset), 5);
		assert_memory_equal(five, nop5, 5);
	}
	close(fd);
}

/* The markers of tests/progs/markers.c, at their source lines. */
static void assert_markers(const struct site_list *l)
{
	size_t i, innermost;

	assert_int_equal(count_sites(l, "alpha", SCOPE_BPF_KIND_BEGIN,
				     src_line("SCOPE_BPF_BEGIN(alpha)", 1)),
			 1);
	assert_int_equal(count_sites(l, "alpha", SCOPE_BPF_KIND_END,
				     src_line("SCOPE_BPF_END(alpha)", 1)),
			 1);
	assert_int_equal(count_sites(l, "beta", SCOPE_BPF_KIND_BEGIN,
				     src_line("SCOPE_BPF_BEGIN(beta)", 1)),
			 1);
	assert_int_equal(count_sites(l, "beta", SCOPE_BPF_KIND_END,
				     src_line("SCOPE_BPF_END(beta)", 1)),
			 1);
	assert_int_equal(count_sites(l, "beta", SCOPE_BPF_KIND_END,
				     src_line("SCOPE_BPF_END(beta)", 2)),
			 1);
	assert_int_equal(count_sites(l, "gamma", SCOPE_BPF_KIND_BEGIN,
				     src_line("SCOPE_BPF_REGION(gamma)", 1)),
			 1);
	assert_int_equal(count_sites(l, "delta", SCOPE_BPF_KIND_BEGIN,
				     src_line("SCOPE_BPF_SCOPE(delta)", 1)),
			 1);
	/* one per block/scope form; a compiler may duplicate a cleanup
	 * path, never drop it */
	innermost = count_sites(l, "", SCOPE_BPF_KIND_END_INNERMOST, 0);
	assert_true(innermost >= 2);
	assert_int_equal(l->n, 7 + innermost);
	for (i = 0; i < l->n; i++) {
		if (l->v[i].kind == SCOPE_BPF_KIND_END_INNERMOST)
			assert_true(str_ends_with(l->v[i].file, "scope_bpf.h"));
		else
			assert_true(str_ends_with(l->v[i].file, MARKERS_SRC));
	}
}

/* From libelf, independently of sites.c: e_type, the executable PT_LOAD's
 * offset - vaddr, and where a section lies in the file. */
struct elf_facts {
	int type;
	int64_t text_delta;
	uint64_t text_vaddr;
	uint64_t note_offset;
	int has_symtab;
};

static void elf_facts_sections(Elf *elf, struct elf_facts *f)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;
	const char *name;

	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	while ((scn = elf_nextscn(elf, scn))) {
		assert_non_null(gelf_getshdr(scn, &sh));
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!strcmp(name, ".note.scope_bpf"))
			f->note_offset = sh.sh_offset;
		if (sh.sh_type == SHT_SYMTAB)
			f->has_symtab = 1;
	}
}

static struct elf_facts elf_facts(const char *path)
{
	struct elf_facts f = { 0 };
	GElf_Ehdr eh;
	GElf_Phdr ph;
	size_t i, n;
	int fd = open(path, O_RDONLY);
	Elf *elf;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_non_null(gelf_getehdr(elf, &eh));
	f.type = eh.e_type;
	assert_int_equal(elf_getphdrnum(elf, &n), 0);
	for (i = 0; i < n; i++) {
		assert_non_null(gelf_getphdr(elf, i, &ph));
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
			f.text_delta = ph.p_offset - ph.p_vaddr;
			f.text_vaddr = ph.p_vaddr;
		}
	}
	elf_facts_sections(elf, &f);
	elf_end(elf);
	close(fd);
	return f;
}

static void assert_offsets_follow_text(const char *path,
				       const struct site_list *l)
{
	struct elf_facts f = elf_facts(path);
	size_t i;

	for (i = 0; i < l->n; i++) {
		assert_true(l->v[i].vaddr >= f.text_vaddr);
		assert_int_equal(l->v[i].file_offset - l->v[i].vaddr,
				 (uint64_t)f.text_delta);
	}
}

static void assert_same_sites(const struct site_list *a,
			      const struct site_list *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->v[i].vaddr, b->v[i].vaddr);
		assert_int_equal(a->v[i].file_offset, b->v[i].file_offset);
		assert_int_equal(a->v[i].line, b->v[i].line);
		assert_int_equal(a->v[i].kind, b->v[i].kind);
		assert_string_equal(a->v[i].name, b->v[i].name);
		assert_string_equal(a->v[i].file, b->v[i].file);
	}
}

static void copy_file(const char *from, const char *to)
{
	assert_int_equal(run_quiet("cp '%s' '%s'", from, to), 0);
}

static void patch_u32(const char *path, uint64_t offset, uint32_t v)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &v, sizeof(v), offset), sizeof(v));
	close(fd);
}

static void patch_u64(const char *path, uint64_t offset, uint64_t v)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &v, sizeof(v), offset), sizeof(v));
	close(fd);
}

/* ---- sites ---------------------------------------------------------- */

static void test_sites_markers(void **state)
{
	struct site_list l = { 0 };
	int n;

	(void)state;
	n = sites__read_elf(MARKERS, &l);
	assert_int_equal(n, l.n);
	assert_markers(&l);
	assert_nops(MARKERS, &l);
	/* the Makefile builds the default: a PIE, linked at 0 */
	assert_int_equal(elf_facts(MARKERS).type, ET_DYN);
	assert_offsets_follow_text(MARKERS, &l);
	site_list__free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
}

static void test_sites_append(void **state)
{
	struct site_list l = { 0 };
	int n;

	(void)state;
	n = sites__read_elf(MARKERS, &l);
	assert_true(n > 0);
	assert_int_equal(sites__read_elf(MARKERS, &l), n);
	assert_int_equal(l.n, 2 * (size_t)n);
	site_list__free(&l);
}

static void test_sites_stripped(void **state)
{
	struct site_list a = { 0 }, b = { 0 };
	const char *copy = tmp_path("markers.stripped");

	(void)state;
	assert_int_equal(run_quiet("strip -o '%s' '%s'", copy, MARKERS), 0);
	assert_true(elf_facts(MARKERS).has_symtab);
	assert_false(elf_facts(copy).has_symtab);
	assert_true(sites__read_elf(MARKERS, &a) > 0);
	assert_true(sites__read_elf(copy, &b) > 0);
	assert_same_sites(&a, &b);
	assert_nops(copy, &b);
	site_list__free(&a);
	site_list__free(&b);
}

/* Builds markers.c another way; skips where no compiler is at hand. */
static void build_markers(const char *flags, const char *out)
{
	if (run_quiet("cc -O2 -g -Iinclude %s " MARKERS_SRC
		      " -o '%s' 2>/dev/null",
		      flags, out))
		skip();
}

static void test_sites_non_pie(void **state)
{
	struct site_list l = { 0 };
	const char *bin = tmp_path("markers.nopie");

	(void)state;
	build_markers("-fno-pie -no-pie", bin);
	assert_int_equal(elf_facts(bin).type, ET_EXEC);
	assert_true(sites__read_elf(bin, &l) > 0);
	assert_markers(&l);
	assert_nops(bin, &l);
	assert_offsets_follow_text(bin, &l);
	/* linked at a fixed address, so vaddr and offset differ */
	assert_true(l.v[0].vaddr >= 0x400000);
	site_list__free(&l);
}

static void test_sites_shared_lib(void **state)
{
	struct site_list l = { 0 };
	const char *lib = tmp_path("libmarkers.so");

	(void)state;
	build_markers("-fPIC -shared", lib);
	assert_int_equal(elf_facts(lib).type, ET_DYN);
	assert_true(sites__read_elf(lib, &l) > 0);
	assert_markers(&l);
	assert_nops(lib, &l);
	assert_offsets_follow_text(lib, &l);
	site_list__free(&l);
}

static void test_sites_object_file(void **state)
{
	struct site_list l = { 0 };
	const char *obj = tmp_path("markers.o");

	(void)state;
	build_markers("-c", obj);
	assert_int_equal(sites__read_elf(obj, &l), -EOPNOTSUPP);
	assert_int_equal(l.n, 0);
}

static void test_sites_no_markers(void **state)
{
	struct site_list l = { 0 };

	(void)state;
	assert_int_equal(sites__read_elf("/bin/true", &l), 0);
	assert_int_equal(l.n, 0);
	site_list__free(&l);
}

static void test_sites_not_elf(void **state)
{
	struct site_list l = { 0 };
	const char *empty = tmp_path("empty");
	int fd = open(empty, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sites__read_elf(MARKERS_SRC, &l), -ENOEXEC);
	assert_int_equal(sites__read_elf(empty, &l), -ENOEXEC);
	assert_int_equal(sites__read_elf("/dev/null", &l), -ENOEXEC);
	assert_int_equal(sites__read_elf(tmpdir, &l), -EISDIR);
	assert_int_equal(sites__read_elf("/no/such/file", &l), -ENOENT);
	assert_int_equal(l.n, 0);
}

/* Corrupts a copy of markers at @at bytes into its first note: the header
 * is namesz, descsz, type; the desc starts after the 12-byte header and the
 * owner padded to 4 ("scope_bpf\0" -> 12). */
enum { NOTE_DESCSZ = 4, NOTE_DESC = 12 + 12 };

static int read_corrupted(const char *name, uint64_t at, uint64_t v, int width)
{
	struct site_list l = { 0 };
	const char *copy = tmp_path(name);
	uint64_t note;
	int n, err;

	copy_file(MARKERS, copy);
	note = elf_facts(copy).note_offset;
	assert_true(note > 0);
	if (width == 4)
		patch_u32(copy, note + at, v);
	else
		patch_u64(copy, note + at, v);
	/* one valid site first: an error must leave the list as it was */
	n = sites__read_elf(MARKERS, &l);
	assert_true(n > 0);
	err = sites__read_elf(copy, &l);
	assert_int_equal(l.n, n);
	site_list__free(&l);
	return err;
}

static void test_sites_corrupt(void **state)
{
	(void)state;
	/* a desc that runs past the section */
	assert_int_equal(read_corrupted("c1", NOTE_DESCSZ, 0xffffff00, 4),
			 -EINVAL);
	/* a desc too short for its strings */
	assert_int_equal(read_corrupted("c2", NOTE_DESCSZ, 16, 4), -EINVAL);
	/* an owner that runs past the section */
	assert_int_equal(read_corrupted("c3", 0, 0x7ffffff0, 4), -EINVAL);
	/* an unknown kind */
	assert_int_equal(read_corrupted("c5", NOTE_DESC + 12, 77, 4), -EINVAL);
}

/* A site whose address holds no marker nop (its function discarded by the
 * linker, or the note damaged) is skipped alone: a uprobe there would put an
 * int3 inside another instruction. */
static void skipped_site(const char *name, uint64_t addr)
{
	struct site_list all = { 0 }, l = { 0 };
	const char *copy = tmp_path(name);
	uint64_t note;

	copy_file(MARKERS, copy);
	note = elf_facts(copy).note_offset;
	patch_u64(copy, note + NOTE_DESC, addr);
	assert_true(sites__read_elf(MARKERS, &all) > 1);
	assert_int_equal(sites__read_elf(copy, &l), (int)all.n - 1);
	for (size_t i = 0; i < l.n; i++)
		assert_int_not_equal(l.v[i].vaddr, addr);
	site_list__free(&all);
	site_list__free(&l);
}

static void test_sites_skipped(void **state)
{
	struct site_list l = { 0 };

	(void)state;
	/* in no executable segment */
	skipped_site("s1", 0xdead00000000ull);
	/* inside the code, but not on a nop: the first site's address + 1
	 * is the instruction after the nop (markers.c keeps nops apart) */
	assert_true(sites__read_elf(MARKERS, &l) > 0);
	skipped_site("s2", l.v[0].vaddr + 1);
	site_list__free(&l);
}

static void test_sites_truncated(void **state)
{
	struct site_list l = { 0 };
	const char *copy = tmp_path("truncated");
	struct stat st;

	(void)state;
	copy_file(MARKERS, copy);
	assert_int_equal(stat(copy, &st), 0);
	assert_int_equal(truncate(copy, st.st_size / 2), 0);
	assert_true(sites__read_elf(copy, &l) < 0);
	assert_int_equal(l.n, 0);
}

/* ---- symbols and pairs ---------------------------------------------- */

/* Each site of markers.c lies in the noinline function that holds it. */
static void test_symbols_markers(void **state)
{
	static const char *const fn[][2] = {
		{ "alpha", "run_alpha" },
		{ "beta", "run_beta" },
		{ "gamma", "run_gamma" },
		{ "delta", "run_delta" },
	};
	struct site_list l = { 0 };
	struct symbols *syms = symbols__new(MARKERS);
	size_t i, j, innermost = 0;
	const char *f;

	(void)state;
	assert_non_null(syms);
	assert_true(symbols__count(syms) > 0);
	assert_true(sites__read_elf(MARKERS, &l) > 0);
	for (i = 0; i < l.n; i++) {
		f = symbols__function(syms, l.v[i].vaddr);
		assert_non_null(f);
		if (!l.v[i].name[0]) {
			innermost++;
			assert_true(!strcmp(f, "run_gamma") ||
				    !strcmp(f, "run_delta"));
			continue;
		}
		for (j = 0; strcmp(fn[j][0], l.v[i].name); j++)
			;
		assert_string_equal(f, fn[j][1]);
	}
	assert_true(innermost >= 2);
	assert_null(symbols__function(syms, 0));
	assert_null(symbols__function(syms, UINT64_MAX));
	symbols__free(syms);
	site_list__free(&l);
}

/* .dynsym of a stripped executable holds no defined function: an empty
 * table, not an error. */
static void test_symbols_stripped(void **state)
{
	const char *copy = tmp_path("markers.nosyms");
	struct symbols *syms;

	(void)state;
	assert_int_equal(run_quiet("strip -o '%s' '%s'", copy, MARKERS), 0);
	syms = symbols__new(copy);
	assert_non_null(syms);
	assert_int_equal(symbols__count(syms), 0);
	assert_null(symbols__function(syms, 0x1000));
	symbols__free(syms);
	errno = 0;
	assert_null(symbols__new("/no/such/file"));
	assert_int_equal(errno, ENOENT);
	assert_null(symbols__new(MARKERS_SRC));
	assert_int_equal(errno, ENOEXEC);
	symbols__free(NULL);
}

#define SITE(n, k, l)                                                          \
	{                                                                      \
		.vaddr = 0, .line = (l), .kind = (k), .name = (n),             \
		.file = "x.c"                                                  \
	}

/* Counts per (function, region) decide, not order; innermost ENDs stand in
 * for the END of block forms; sites of unknown functions are left out. */
static void test_sites_unpaired(void **state)
{
	struct site v[] = {
		SITE("solve", SCOPE_BPF_KIND_BEGIN, 10), /* f: typo */
		SITE("slove", SCOPE_BPF_KIND_END, 12),
		SITE("ok", SCOPE_BPF_KIND_END, 20), /* f: END first */
		SITE("ok", SCOPE_BPF_KIND_BEGIN, 21),
		SITE("ok", SCOPE_BPF_KIND_BEGIN, 22),
		SITE("split", SCOPE_BPF_KIND_BEGIN, 30), /* f, ends in g */
		SITE("split", SCOPE_BPF_KIND_END, 40),	 /* g */
		SITE("blk", SCOPE_BPF_KIND_BEGIN, 50),	 /* h: a block */
		SITE("", SCOPE_BPF_KIND_END_INNERMOST, 1),
		SITE("lost", SCOPE_BPF_KIND_BEGIN, 60), /* unknown */
	};
	const char *fn[] = {
		"f", "f", "f", "f", "f", "f", "g", "h", "h", NULL
	};
	struct site_list l = { .v = v, .n = sizeof(v) / sizeof(v[0]) };
	struct site_unpaired *u;
	int n;

	(void)state;
	n = sites__unpaired(&l, fn, &u);
	assert_int_equal(n, 4);
	/* in file:line order */
	assert_ptr_equal(u[0].site, &v[0]);
	assert_string_equal(u[0].function, "f");
	assert_int_equal(u[0].missing, SCOPE_BPF_KIND_END);
	assert_ptr_equal(u[1].site, &v[1]);
	assert_int_equal(u[1].missing, SCOPE_BPF_KIND_BEGIN);
	assert_ptr_equal(u[2].site, &v[5]);
	assert_int_equal(u[2].missing, SCOPE_BPF_KIND_END);
	assert_ptr_equal(u[3].site, &v[6]);
	assert_string_equal(u[3].function, "g");
	assert_int_equal(u[3].missing, SCOPE_BPF_KIND_BEGIN);
	free(u);
	/* moved to f, the innermost END closes f's BEGINs (the typo still
	 * shows through its END) and no longer h's */
	fn[8] = "f";
	n = sites__unpaired(&l, fn, &u);
	assert_int_equal(n, 3);
	assert_ptr_equal(u[0].site, &v[1]);
	assert_ptr_equal(u[1].site, &v[6]);
	assert_ptr_equal(u[2].site, &v[7]);
	assert_string_equal(u[2].function, "h");
	assert_int_equal(u[2].missing, SCOPE_BPF_KIND_END);
	free(u);
	l.n = 0;
	assert_int_equal(sites__unpaired(&l, fn, &u), 0);
	free(u);
}

/* ---- regions -------------------------------------------------------- */

static void test_regions_intern(void **state)
{
	struct region_table t = { 0 };

	(void)state;
	assert_int_equal(region_table__intern(&t, "a", "x.c", 10, 1), 0);
	assert_int_equal(region_table__intern(&t, "b", "x.c", 20, 1), 1);
	assert_int_equal(region_table__intern(&t, "a", "x.c", 12, 0), 0);
	assert_int_equal(region_table__intern(&t, "a", "x.c", 14, 0), 0);
	/* an END seen before its BEGIN holds the place until the BEGIN */
	assert_int_equal(region_table__intern(&t, "c", "y.c", 30, 0), 2);
	assert_int_equal(region_table__intern(&t, "c", "z.c", 5, 1), 2);
	assert_int_equal(region_table__intern(&t, "c", "w.c", 1, 1), 2);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[0].name, "a");
	assert_int_equal(t.v[0].id, 0);
	assert_int_equal(t.v[0].nsites, 3);
	assert_int_equal(t.v[0].nbegin, 1);
	assert_int_equal(t.v[0].line, 10);
	assert_int_equal(t.v[2].id, 2);
	assert_string_equal(t.v[2].file, "z.c");
	assert_int_equal(t.v[2].line, 5);
	assert_int_equal(t.v[2].nsites, 3);
	assert_int_equal(t.v[2].nbegin, 2);
	assert_int_equal(region_table__intern(&t, NULL, "x.c", 1, 1), -EINVAL);
	region_table__free(&t);
	assert_int_equal(t.n, 0);
	assert_null(t.v);
}

/* ---- target --------------------------------------------------------- */

struct loaded {
	uint64_t exe_bias;
	uint64_t libc_bias;
	int found_libc;
};

/* The dynamic loader's own view: dlpi_addr is the load bias. */
static int loaded_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct loaded *l = data;

	(void)size;
	if (!info->dlpi_name[0] && !l->exe_bias)
		l->exe_bias = info->dlpi_addr;
	if (strstr(info->dlpi_name, "/libc.so")) {
		l->libc_bias = info->dlpi_addr;
		l->found_libc = 1;
	}
	return 0;
}

static void assert_no_duplicates(const struct target_objects *o)
{
	size_t i, j;

	for (i = 0; i < o->n; i++) {
		for (j = i + 1; j < o->n; j++)
			assert_false(o->v[i].dev == o->v[j].dev &&
				     o->v[i].ino == o->v[j].ino);
	}
}

static void read_link(const char *link, char *buf, size_t size)
{
	ssize_t n = readlink(link, buf, size - 1);

	assert_true(n > 0);
	buf[n] = '\0';
}

/* Under valgrind the process's executable is the tool, and the test binary
 * is mapped by it like a library (valgrind fakes readlink of /proc/self/exe
 * but not stat): the exe is the file that stat of /proc/PID/exe names, and
 * the loader's main program is checked on its own. */
static void test_target_objects_self(void **state)
{
	struct target_objects o = { 0 };
	struct loaded dl = { 0 };
	char self[PATH_MAX], link[64];
	size_t i, nexe = 0, nself = 0, nlibc = 0;
	struct stat exe, st;

	(void)state;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)getpid());
	assert_int_equal(stat(link, &exe), 0);
	read_link("/proc/self/exe", self, sizeof(self));
	dl_iterate_phdr(loaded_cb, &dl);
	assert_true(dl.found_libc);
	assert_int_equal(target__objects(getpid(), &o), 0);
	assert_no_duplicates(&o);
	for (i = 0; i < o.n; i++) {
		/* the path opens the very inode the process maps */
		assert_int_equal(stat(o.v[i].path, &st), 0);
		assert_true(st.st_dev == o.v[i].dev && st.st_ino == o.v[i].ino);
		assert_int_equal(access(o.v[i].path, R_OK), 0);
		if (o.v[i].is_exe) {
			nexe++;
			assert_true(o.v[i].dev == exe.st_dev);
			assert_true(o.v[i].ino == exe.st_ino);
		}
		if (!strcmp(o.v[i].name, self)) {
			nself++;
			assert_int_equal(o.v[i].load_bias, dl.exe_bias);
		}
		if (strstr(o.v[i].name, "/libc.so")) {
			nlibc++;
			assert_int_equal(o.v[i].load_bias, dl.libc_bias);
		}
	}
	target_objects__free(&o);
	assert_null(o.v);
	assert_int_equal(nexe, 1);
	assert_int_equal(nself, 1);
	assert_int_equal(nlibc, 1);
}

/* A pid that names no process: a child's, once it has been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

static void test_target_check(void **state)
{
	pid_t dead = dead_pid();
	struct target_objects o = { 0 };

	(void)state;
	assert_int_equal(target__check(getpid()), 0);
	assert_int_equal(target__check(dead), -ESRCH);
	assert_int_equal(target__check(0), -EINVAL);
	assert_int_equal(target__check(-1), -EINVAL);
	assert_int_equal(target__objects(dead, &o), -ENOENT);
	assert_int_equal(o.n, 0);
	errno = 0;
	assert_null(target__cmdline(dead));
	assert_int_equal(errno, ENOENT);
}

static void test_target_cmdline(void **state)
{
	char want[4096] = "";
	char *got;
	int i;

	(void)state;
	for (i = 0; test_argv[i]; i++) {
		if (i)
			strcat(want, " ");
		strncat(want, test_argv[i], sizeof(want) - strlen(want) - 2);
	}
	got = target__cmdline(getpid());
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static int file_contains(const char *path, const char *needle)
{
	char buf[1024];
	int found = 0;
	FILE *f = fopen(path, "r");

	while (f && !found && fgets(buf, sizeof(buf), f))
		found = !!strstr(buf, needle);
	if (f)
		fclose(f);
	return found;
}

/* Waits until @pid runs @path with libc mapped: fork returns before the
 * exec (and the child's maps are ours until then), and the exec maps the
 * program before the loader maps libc. */
static void wait_started(pid_t pid, const char *path)
{
	char maps[64], link[64], exe[PATH_MAX];
	ssize_t n;
	int i;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	for (i = 0; i < 500; i++) {
		n = readlink(link, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		if (!strcmp(exe, path) && file_contains(maps, "/libc.so"))
			return;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	fail_msg("%s never started", path);
}

/* A deleted file cannot be opened by path: it is skipped, not an error. */
static void test_target_objects_deleted(void **state)
{
	struct target_objects o = { 0 };
	char path[PATH_MAX];
	pid_t pid;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s", tmp_path("sleeper"));
	copy_file("/bin/sleep", path);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		execl(path, "sleeper", "30", (char *)NULL);
		_exit(127);
	}
	wait_started(pid, path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(target__objects(pid, &o), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_true(o.n > 0);
	for (i = 0; i < o.n; i++) {
		assert_false(o.v[i].is_exe);
		assert_null(strstr(o.v[i].name, "sleeper"));
	}
	target_objects__free(&o);
}

static void test_resolve_exe(void **state)
{
	char *saved = strdup(getenv("PATH") ? getenv("PATH") : "");
	char *p;

	(void)state;
	p = target__resolve_exe("true");
	assert_non_null(p);
	assert_true(str_ends_with(p, "/true"));
	assert_int_equal(access(p, X_OK), 0);
	free(p);
	p = target__resolve_exe("/bin/true");
	assert_string_equal(p, "/bin/true");
	free(p);
	errno = 0;
	assert_null(target__resolve_exe("no-such-cmd-xyz"));
	assert_int_equal(errno, ENOENT);
	assert_null(target__resolve_exe("./no/such/cmd"));
	assert_int_equal(errno, ENOENT);
	assert_null(target__resolve_exe(""));
	assert_int_equal(errno, ENOENT);
	/* a directory, or a file without x, is there but cannot run */
	assert_null(target__resolve_exe("/tmp"));
	assert_int_equal(errno, EACCES);
	copy_file(MARKERS_SRC, tmp_path("noexec-cmd"));
	setenv("PATH", tmpdir, 1);
	assert_null(target__resolve_exe("noexec-cmd"));
	assert_int_equal(errno, EACCES);
	/* an empty PATH entry is the current directory */
	setenv("PATH", ":/nonexistent", 1);
	assert_int_equal(chmod(tmp_path("noexec-cmd"), 0755), 0);
	assert_int_equal(chdir(tmpdir), 0);
	p = target__resolve_exe("noexec-cmd");
	assert_int_equal(chdir(getenv("TEST_ROOT")), 0);
	assert_string_equal(p, "./noexec-cmd");
	free(p);
	setenv("PATH", saved, 1);
	free(saved);
}

/* ---- scope-bpf list ------------------------------------------------- */

#define ARGS(...) ((char *[]){ __VA_ARGS__, NULL })
#define NARGS(a)  ((int)(sizeof(a) / sizeof(a[0])) - 1)

static int parse(struct list_opts *o, char **argv, int argc)
{
	return list_opts__parse(o, argc, argv, ARGP_NO_EXIT | ARGP_NO_ERRS);
}

static void test_list_parse(void **state)
{
	char **a1 = ARGS("list", "a", "b");
	char **a2 = ARGS("list", "a", "--format", "csv", "-vv");
	char **a3 = ARGS("list");
	char **a4 = ARGS("list", "-f", "xml", "a");
	char **a5 = ARGS("list", "--bogus", "a");
	char **a6 = ARGS("list", "--strict", "a");
	struct list_opts o;

	(void)state;
	assert_int_equal(parse(&o, a1, 3), 0);
	assert_int_equal(o.nfiles, 2);
	assert_string_equal(o.files[0], "a");
	assert_string_equal(o.files[1], "b");
	assert_int_equal(o.format, FORMAT_TABLE);
	assert_true(o.show_path);
	/* options after the binary, as argp permutes */
	assert_int_equal(parse(&o, a2, 5), 0);
	assert_int_equal(o.nfiles, 1);
	assert_string_equal(o.files[0], "a");
	assert_int_equal(o.format, FORMAT_CSV);
	assert_int_equal(o.verbose, 2);
	assert_false(o.show_path);
	assert_int_equal(parse(&o, a3, 1), -EINVAL);
	assert_int_equal(parse(&o, a4, 4), -EINVAL);
	assert_int_equal(parse(&o, a5, 3), -EINVAL);
	assert_int_equal(parse(&o, a6, 3), 0);
	assert_true(o.strict);
	assert_int_equal(parse(&o, a1, 3), 0);
	assert_false(o.strict);
}

/* What list__binary prints for markers, in a string. */
static char *list_output(enum output_format format, int *err)
{
	struct list_opts o = { .format = format };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*err = list__binary(f, MARKERS, &o);
	fclose(f);
	return buf;
}

/* The row of @region in the table, as it must read. */
static void assert_row(const char *out, const char *region, int begin, int end,
		       const char *needle)
{
	char want[256];

	snprintf(want, sizeof(want), "\n%-6s  %5d  %3d  %s:%u\n", region, begin,
		 end, MARKERS_SRC, src_line(needle, 1));
	assert_non_null(strstr(out, want));
}

static void test_list_table(void **state)
{
	char *out;
	int err;

	(void)state;
	out = list_output(FORMAT_TABLE, &err);
	assert_int_equal(err, 0);
	assert_int_equal(strncmp(out, "REGION  BEGIN  END  LOCATION\n", 29), 0);
	assert_row(out, "alpha", 1, 1, "SCOPE_BPF_BEGIN(alpha)");
	assert_row(out, "beta", 1, 2, "SCOPE_BPF_BEGIN(beta)");
	assert_row(out, "gamma", 1, 0, "SCOPE_BPF_REGION(gamma)");
	assert_row(out, "delta", 1, 0, "SCOPE_BPF_SCOPE(delta)");
	assert_non_null(strstr(out, "innermost"));
	/* source order */
	assert_true(strstr(out, "alpha") < strstr(out, "beta"));
	assert_true(strstr(out, "gamma") < strstr(out, "delta"));
	free(out);
}

static void test_list_csv(void **state)
{
	char want[256], *out;
	int err;

	(void)state;
	out = list_output(FORMAT_CSV, &err);
	assert_int_equal(err, 0);
	snprintf(want, sizeof(want), MARKERS ",delta,1,0," MARKERS_SRC ",%u\n",
		 src_line("SCOPE_BPF_SCOPE(delta)", 1));
	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "innermost"));
	free(out);
}

static void test_list_errors(void **state)
{
	struct list_opts o = { 0 };
	FILE *null = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(list__binary(null, "/no/such", &o), -ENOENT);
	assert_int_equal(list__binary(null, "/bin/true", &o), -ENODATA);
	assert_int_equal(list__binary(null, MARKERS_SRC, &o), -ENOEXEC);
	fclose(null);
	assert_string_equal(list__strerror(-ENOENT),
			    "No such file or directory");
	assert_string_equal(list__strerror(-ENOEXEC), "not an ELF file");
	assert_non_null(
		strstr(list__strerror(-ENODATA), "no scope-bpf markers"));
	assert_non_null(strstr(list__strerror(-EBADMSG), "--strict"));
}

/* cmd_list in a child: argp exits on usage errors. */
static int cmd_list_status(char **argv, int argc)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen("/dev/null", "w", stderr) ||
		    !freopen("/dev/null", "w", stdout))
			_exit(99);
		_exit(cmd_list(argc, argv));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_list_exit_status(void **state)
{
	char **ok = ARGS("list", MARKERS);
	char **missing = ARGS("list", "./no-such-binary");
	char **plain = ARGS("list", "/bin/true");
	char **mixed = ARGS("list", MARKERS, "/bin/true");
	char **usage = ARGS("list");
	char **bad = ARGS("list", "--format=xml", MARKERS);
	char **help = ARGS("list", "--help");
	char **strict = ARGS("list", "--strict", TEST_PROG("unpaired"));
	char **lenient = ARGS("list", TEST_PROG("unpaired"));

	(void)state;
	assert_int_equal(cmd_list_status(ok, 2), EXIT_OK);
	assert_int_equal(cmd_list_status(missing, 2), EXIT_FAIL);
	assert_int_equal(cmd_list_status(plain, 2), EXIT_FAIL);
	assert_int_equal(cmd_list_status(mixed, 3), EXIT_FAIL);
	assert_int_equal(cmd_list_status(usage, 1), EXIT_USAGE);
	assert_int_equal(cmd_list_status(bad, 3), EXIT_USAGE);
	assert_int_equal(cmd_list_status(help, 2), EXIT_OK);
	/* unpaired markers: a warning, an error only with --strict */
	assert_int_equal(cmd_list_status(lenient, 2), EXIT_OK);
	assert_int_equal(cmd_list_status(strict, 3), EXIT_FAIL);
	assert_int_equal(cmd_list_status(ok, 2), EXIT_OK);
}

/* ---- main ----------------------------------------------------------- */

static int setup(void **state)
{
	char cwd[PATH_MAX];

	(void)state;
	if (!mkdtemp(tmpdir) || !getcwd(cwd, sizeof(cwd)))
		return -1;
	return setenv("TEST_ROOT", cwd, 1);
}

static void test_symbols_fortran_name(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(
		symbols__fortran_name("__solver_MOD_relax", out, sizeof(out)),
		0);
	assert_string_equal(out, "solver::relax");
	assert_int_equal(
		symbols__fortran_name("__a_b_MOD_c_MOD_d", out, sizeof(out)),
		0);
	assert_string_equal(out, "a_b::c_MOD_d");
	assert_int_equal(symbols__fortran_name("relax_", out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(symbols__fortran_name("___MOD_x", out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(symbols__fortran_name("__m_MOD_", out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(symbols__fortran_name("__solver_MOD_relax", out, 8),
			 -ENOSPC);
}

/* liblikwid's marker functions as run-time named sites: Debian's likwid
 * package is a build dependency. */
static void test_sites_name_functions(void **state)
{
	const char *lib = "/usr/lib/x86_64-linux-gnu/liblikwid.so.5";
	struct site_list l = { 0 };

	(void)state;
	if (access(lib, R_OK))
		skip();
	assert_int_equal(
		sites__read_name_functions(lib, "likwid_markerStartRegion",
					   "likwid_markerStopRegion", &l),
		2);
	assert_int_equal(l.v[0].kind, SCOPE_BPF_KIND_BEGIN_NAMED);
	assert_int_equal(l.v[1].kind, SCOPE_BPF_KIND_END_NAMED);
	assert_true(l.v[0].entry && l.v[1].entry);
	assert_string_equal(l.v[0].name, SCOPE_BPF_NAME_REG);
	assert_string_equal(l.v[0].file, "likwid_markerStartRegion");
	assert_true(l.v[0].file_offset && l.v[1].file_offset &&
		    l.v[0].file_offset != l.v[1].file_offset);
	/* a file without them: nothing, no error */
	assert_int_equal(sites__read_name_functions(
				 test_argv[0], "likwid_markerStartRegion",
				 "likwid_markerStopRegion", &l),
			 0);
	assert_int_equal(l.n, 2);
	site_list__free(&l);
}

static int teardown(void **state)
{
	(void)state;
	return run_quiet("rm -rf '%s'%s", tmpdir, "");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sites_markers),
		cmocka_unit_test(test_sites_append),
		cmocka_unit_test(test_sites_stripped),
		cmocka_unit_test(test_sites_non_pie),
		cmocka_unit_test(test_sites_shared_lib),
		cmocka_unit_test(test_sites_object_file),
		cmocka_unit_test(test_sites_no_markers),
		cmocka_unit_test(test_sites_not_elf),
		cmocka_unit_test(test_sites_corrupt),
		cmocka_unit_test(test_sites_skipped),
		cmocka_unit_test(test_sites_truncated),
		cmocka_unit_test(test_symbols_markers),
		cmocka_unit_test(test_symbols_stripped),
		cmocka_unit_test(test_symbols_fortran_name),
		cmocka_unit_test(test_sites_name_functions),
		cmocka_unit_test(test_sites_unpaired),
		cmocka_unit_test(test_regions_intern),
		cmocka_unit_test(test_target_objects_self),
		cmocka_unit_test(test_target_check),
		cmocka_unit_test(test_target_cmdline),
		cmocka_unit_test(test_target_objects_deleted),
		cmocka_unit_test(test_resolve_exe),
		cmocka_unit_test(test_list_parse),
		cmocka_unit_test(test_list_table),
		cmocka_unit_test(test_list_csv),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_list_exit_status),
	};

	(void)argc;
	test_argv = argv;
	return cmocka_run_group_tests(tests, setup, teardown);
}
