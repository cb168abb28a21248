// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf list BINARY...`: the regions marked in ELF files, read from the
 * files alone (no root, no process). */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <scope_bpf.h>

#include "cli/cmd_list.h"
#include "common/csv.h"
#include "cli/commands.h"
#include "cli/help.h"
#include "cli/list_counters.h"
#include "cli/format.h"
#include "common/log.h"
#include "profile/regions.h"
#include "discover/sites.h"
#include "discover/symbols.h"

static const char list_doc[] =
	"List the regions marked with scope_bpf.h in each BINARY (an "
	"executable or a shared library).\v"
	"One row per region: its BEGIN and END sites and where it begins. "
	"SCOPE_BPF_REGION and SCOPE_BPF_SCOPE end with a site that closes "
	"whichever region is innermost; those sites are counted below the "
	"table.\n\n"
	"With --sites, one row per probe site: its kind (begin, end, or "
	"innermost for the end of a block), its link-time address and its "
	"offset in the file, which other uprobe tools (bpftrace, perf probe) "
	"take as well; the CSV's last column is the file offset of the "
	"marker's 5-byte nop (the trampoline site), empty for markers built "
	"with a scope_bpf.h older than API version 2.\n\n"
	"A region with a BEGIN but no END in the same function, or an END "
	"but no BEGIN (a typo: BEGIN(solve) ... END(slove)), is a warning on "
	"stderr; a region may begin in one function and end in another on "
	"purpose, so it is no error unless --strict. Functions come from the "
	"symbol table (.symtab, else .dynsym); a marker inlined into a caller "
	"is in the caller.\n\n"
	"With --func, the functions that run --func or attach --func would "
	"probe in BINARY and the libraries the loader maps for it, or in the "
	"running process PID: name (demangled), address, size, library, and "
	"how many (docs/functions.md).\n\n"
	"Examples:\n"
	"  scope-bpf list ./solver\n"
	"  scope-bpf list --format csv ./solver ./libkernels.so\n"
	"  scope-bpf list --sites ./solver\n"
	"  scope-bpf list --counters\n"
	"  scope-bpf list --groups\n"
	"  scope-bpf list --func 'solve*' --func 'libm:exp*' ./solver\n"
	"  scope-bpf list --func 'libsqlite3:sqlite3_*' 4242\n";

enum { OPT_LIST_COUNTERS = 0x100, OPT_LIST_GROUPS, OPT_LIST_FUNC };

static const struct argp_option list_options[] = {
	{ "format", 'f', "FORMAT", 0, "table (the default) or csv", 0 },
	{ "sites", 's', NULL, 0, "one row per probe site, with its address",
	  0 },
	{ "strict", 'S', NULL, 0,
	  "exit 1 when a BEGIN or an END has no partner in its function", 0 },
	{ "counters", OPT_LIST_COUNTERS, NULL, 0,
	  "list perf's event names for --counters, each tried here (as root)",
	  0 },
	{ "groups", OPT_LIST_GROUPS, NULL, 0,
	  "list this host's LIKWID groups for --group, or say why none", 0 },
	{ "func", OPT_LIST_FUNC, "[LIB:]GLOB", 0,
	  "list the functions this pattern matches (repeatable), as run "
	  "--func would probe them; BINARY may be a PID",
	  0 },
	{ "verbose", 'v', NULL, 0, "more messages on stderr (-vv: debug)", 0 },
	{ 0 },
};

static error_t list__parse_opt(int key, char *arg, struct argp_state *state)
{
	struct list_opts *opts = state->input;

	switch (key) {
	case 'f':
		if (cli__parse_format(state, arg, &opts->format))
			return EINVAL;
		/* JSON is the report's alone so far */
		if (opts->format == FORMAT_JSON) {
			argp_error(state, "unknown format '%s' (table or csv)",
				   arg);
			return EINVAL;
		}
		return 0;
	case 's':
		opts->sites = 1;
		return 0;
	case 'S':
		opts->strict = 1;
		return 0;
	case 'v':
		opts->verbose++;
		return 0;
	case OPT_LIST_COUNTERS:
		opts->counters = 1;
		return 0;
	case OPT_LIST_GROUPS:
		opts->groups = 1;
		return 0;
	case OPT_LIST_FUNC:
		if (func_patterns__add(&opts->funcs, arg)) {
			argp_error(state, "--func '%s': expected [LIB:]GLOB",
				   arg);
			return EINVAL;
		}
		return 0;
	case ARGP_KEY_ARGS:
		if (opts->counters || opts->groups) {
			argp_error(state,
				   "--counters and --groups take no BINARY");
			return EINVAL;
		}
		opts->files = state->argv + state->next;
		opts->nfiles = state->argc - state->next;
		opts->show_path = opts->nfiles > 1;
		return 0;
	case ARGP_KEY_NO_ARGS:
		if (opts->counters || opts->groups)
			return 0;
		argp_error(state, "no BINARY given");
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int list_opts__parse(struct list_opts *opts, int argc, char **argv,
		     unsigned int argp_flags)
{
	static const struct argp argp = {
		.options = list_options,
		.parser = list__parse_opt,
		.args_doc = "BINARY...",
		.doc = list_doc,
		.children = cli__help_children,
	};

	*opts = (struct list_opts){ .format = FORMAT_TABLE };
	if (argp_parse(&argp, argc, argv, argp_flags, NULL, opts)) {
		func_patterns__free(&opts->funcs);
		return -EINVAL;
	}
	return 0;
}

const char *list__strerror(int err)
{
	switch (err) {
	case -ENOEXEC:
		return "not an ELF file";
	case -EOPNOTSUPP:
		return "not an executable or a shared library (link it first)";
	case -EINVAL:
		return "malformed scope-bpf marker notes";
	case -ENODATA:
		return "no scope-bpf markers (build it with #include <scope_bpf.h> and SCOPE_BPF_BEGIN/END)";
	case -EBADMSG:
		return "BEGIN and END markers not paired within functions (--strict)";
	default:
		return strerror(-err);
	}
}

/* Named sites become regions; innermost ends belong to none, so they are
 * only counted; the sites of run-time names are one row, since their names
 * exist only when the program runs. */
static int list__regions(const struct site_list *sites, struct region_table *t,
			 size_t *innermost)
{
	const struct site *s;
	int id;

	for (s = sites->v; s < sites->v + sites->n; s++) {
		if (s->kind == SCOPE_BPF_KIND_END_INNERMOST) {
			(*innermost)++;
			continue;
		}
		id = region_table__intern(
			t, site__is_named(s) ? "(named at run time)" : s->name,
			s->file, s->line,
			s->kind == SCOPE_BPF_KIND_BEGIN ||
				s->kind == SCOPE_BPF_KIND_BEGIN_NAMED);
		if (id < 0)
			return id;
	}
	return 0;
}

static int region__cmp_location(const void *a, const void *b)
{
	const struct region *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void list__print_table(FILE *out, const char *path,
			      const struct region_table *t, size_t innermost,
			      const struct list_opts *opts)
{
	int w = strlen("REGION");
	const struct region *r;

	for (r = t->v; r < t->v + t->n; r++) {
		if ((int)strlen(r->name) > w)
			w = strlen(r->name);
	}
	if (opts->show_path)
		fprintf(out, "%s:\n", path);
	fprintf(out, "%-*s  BEGIN  END  LOCATION\n", w, "REGION");
	for (r = t->v; r < t->v + t->n; r++)
		fprintf(out, "%-*s  %5u  %3u  %s:%u\n", w, r->name, r->nbegin,
			r->nsites - r->nbegin, r->file, r->line);
	if (innermost)
		fprintf(out,
			"+ %zu END site%s of SCOPE_BPF_REGION/SCOPE_BPF_SCOPE blocks (closing the innermost region)\n",
			innermost, innermost == 1 ? "" : "s");
}

static void list__print_csv(FILE *out, const char *path,
			    const struct region_table *t)
{
	const struct region *r;

	for (r = t->v; r < t->v + t->n; r++) {
		csv__field(out, path);
		fputc(',', out);
		csv__field(out, r->name);
		fprintf(out, ",%u,%u,", r->nbegin, r->nsites - r->nbegin);
		csv__field(out, r->file);
		fprintf(out, ",%u\n", r->line);
	}
}

static const char *site__kind_name(uint32_t kind)
{
	switch (kind) {
	case SCOPE_BPF_KIND_BEGIN:
		return "begin";
	case SCOPE_BPF_KIND_END:
		return "end";
	case SCOPE_BPF_KIND_BEGIN_NAMED:
		return "begin-rt";
	case SCOPE_BPF_KIND_END_NAMED:
		return "end-rt";
	default:
		return "innermost";
	}
}

/* In address order, as they sit in the code. */
static int site__cmp_vaddr(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	return (x->vaddr > y->vaddr) - (x->vaddr < y->vaddr);
}

static void list__print_sites(FILE *out, const char *path,
			      struct site_list *sites,
			      const struct list_opts *opts)
{
	const struct site *s;
	int w = strlen("REGION");

	qsort(sites->v, sites->n, sizeof(*sites->v), site__cmp_vaddr);
	for (s = sites->v; s < sites->v + sites->n; s++) {
		if ((int)strlen(s->name) > w)
			w = strlen(s->name);
	}
	if (opts->format == FORMAT_TABLE) {
		if (opts->show_path)
			fprintf(out, "%s:\n", path);
		fprintf(out, "%-9s  %-*s  %-18s  %-18s  LOCATION\n", "KIND", w,
			"REGION", "ADDRESS", "OFFSET");
	}
	for (s = sites->v; s < sites->v + sites->n; s++) {
		if (opts->format == FORMAT_TABLE) {
			fprintf(out,
				"%-9s  %-*s  %#-18" PRIx64 "  %#-18" PRIx64
				"  %s:%u\n",
				site__kind_name(s->kind), w, s->name, s->vaddr,
				s->file_offset, s->file, s->line);
			continue;
		}
		csv__field(out, path);
		fprintf(out, ",%s,", site__kind_name(s->kind));
		csv__field(out, s->name);
		fprintf(out, ",%#" PRIx64 ",%#" PRIx64 ",", s->vaddr,
			s->file_offset);
		csv__field(out, s->file);
		fprintf(out, ",%u,", s->line);
		if (s->nop5_offset)
			fprintf(out, "%#" PRIx64, s->nop5_offset);
		fputc('\n', out);
	}
}

static void list__warn_unpaired(const char *path, const struct site_unpaired *u)
{
	const char *has = u->missing == SCOPE_BPF_KIND_END ? "BEGIN" : "END";
	const char *lacks = u->missing == SCOPE_BPF_KIND_END ? "END" : "BEGIN";

	pr_warn("%s: %s(%s) at %s:%u has no %s(%s) in the same function, %s()\n",
		path, has, u->site->name, u->site->file, u->site->line, lacks,
		u->site->name, u->function);
}

/* The function of each site, NULL where the symbols know none. */
static const char **list__site_functions(const struct symbols *syms,
					 const struct site_list *sites)
{
	const char **fn = calloc(sites->n ? sites->n : 1, sizeof(*fn));
	size_t i;

	for (i = 0; fn && i < sites->n; i++)
		fn[i] = symbols__function(syms, sites->v[i].vaddr);
	return fn;
}

/* Warns about each region whose BEGIN and END are not in the same function.
 * The number of warnings; without symbols there is nothing to check. */
static int list__check_pairs(const char *path, const struct site_list *sites)
{
	struct site_unpaired *u = NULL;
	const char **fn = NULL;
	struct symbols *syms;
	int i, n = 0;

	syms = symbols__new(path);
	if (!syms || !symbols__count(syms)) {
		pr_info("%s: no function symbols (%s): BEGIN/END pairs not checked\n",
			path, syms ? "stripped?" : strerror(errno));
		goto cleanup;
	}
	fn = list__site_functions(syms, sites);
	n = fn ? sites__unpaired(sites, fn, &u) : -ENOMEM;
	for (i = 0; i < n; i++)
		list__warn_unpaired(path, &u[i]);
	if (n > 0)
		pr_warn("%s: a region that begins in one function and ends in another on purpose is fine: see docs/markers.md\n",
			path);
cleanup:
	free(u);
	free(fn);
	symbols__free(syms);
	return n;
}

int list__binary(FILE *out, const char *path, const struct list_opts *opts)
{
	struct region_table regions = { 0 };
	struct site_list sites = { 0 };
	size_t innermost = 0;
	int err, unpaired;

	err = sites__read_elf(path, &sites);
	if (err <= 0) {
		err = err ? err : -ENODATA;
		goto cleanup;
	}
	unpaired = list__check_pairs(path, &sites);
	if (unpaired < 0) {
		err = unpaired;
		goto cleanup;
	}
	if (opts->sites) {
		list__print_sites(out, path, &sites, opts);
		goto done;
	}
	err = list__regions(&sites, &regions, &innermost);
	if (err)
		goto cleanup;
	/* in source order for people; ids play no part in a listing */
	if (regions.n)
		qsort(regions.v, regions.n, sizeof(*regions.v),
		      region__cmp_location);
	if (opts->format == FORMAT_CSV)
		list__print_csv(out, path, &regions);
	else
		list__print_table(out, path, &regions, innermost, opts);
done:
	err = opts->strict && unpaired ? -EBADMSG : 0;
cleanup:
	region_table__free(&regions);
	site_list__free(&sites);
	return err;
}

/* --counters and --groups: what this host can count, not a binary. */
static int list__host(const struct list_opts *opts)
{
	int err = 0;

	if (opts->counters)
		err = list__counters(stdout, opts->format);
	if (!err && opts->groups) {
		if (opts->counters && opts->format == FORMAT_TABLE)
			fputc('\n', stdout);
		err = list__groups(stdout, opts->format);
	}
	if (err)
		pr_err("listing: %s\n", strerror(-err));
	if (fflush(stdout)) {
		pr_err("writing the list: %s\n", strerror(errno));
		err = -errno;
	}
	return err ? EXIT_FAIL : EXIT_OK;
}

/* --func: each BINARY or PID's functions. */
static int list__funcs_main(struct list_opts *opts)
{
	int err, status = EXIT_OK;

	if (opts->format == FORMAT_CSV)
		puts("target,object,function,address,size,offset,endbr64");
	for (int i = 0; i < opts->nfiles; i++) {
		if (opts->format == FORMAT_TABLE && opts->nfiles > 1)
			printf("%s%s:\n", i ? "\n" : "", opts->files[i]);
		err = list__functions(stdout, opts->files[i], opts);
		if (err) {
			pr_err("%s: %s\n", opts->files[i], strerror(-err));
			status = EXIT_FAIL;
		}
	}
	func_patterns__free(&opts->funcs);
	if (fflush(stdout)) {
		pr_err("writing the list: %s\n", strerror(errno));
		status = EXIT_FAIL;
	}
	return status;
}

int cmd_list(int argc, char **argv)
{
	static char name[] = "scope-bpf list";
	struct list_opts opts;
	int i, err, status = EXIT_OK;

	argv[0] = name;
	argp_err_exit_status = EXIT_USAGE;
	if (list_opts__parse(&opts, argc, argv, 0))
		return EXIT_USAGE;
	log__set_verbosity(LOG_LEVEL_WARN, opts.verbose);
	if (opts.counters || opts.groups)
		return list__host(&opts);
	if (opts.funcs.n)
		return list__funcs_main(&opts);
	if (opts.format == FORMAT_CSV)
		puts(opts.sites ?
			     "binary,kind,region,address,offset,file,line,nop5_offset" :
			     "binary,region,begin_sites,end_sites,file,line");
	for (i = 0; i < opts.nfiles; i++) {
		if (opts.format == FORMAT_TABLE && i > 0)
			fputc('\n', stdout);
		err = list__binary(stdout, opts.files[i], &opts);
		if (err) {
			pr_err("%s: %s\n", opts.files[i], list__strerror(err));
			status = EXIT_FAIL;
		}
	}
	if (fflush(stdout)) {
		pr_err("writing the list: %s\n", strerror(errno));
		status = EXIT_FAIL;
	}
	return status;
}
