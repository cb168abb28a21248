// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf list --func GLOB BINARY|PID`: what `run --func` or `attach
 * --func` would probe, read from the files (no root for a BINARY). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd_list.h"
#include "common/csv.h"
#include "common/log.h"
#include "discover/loader.h"
#include "discover/target.h"

struct listed {
	const char *object;
	struct func_list funcs;
};

static bool any_lib(const struct func_patterns *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].lib)
			return true;
	}
	return false;
}

static bool is_pid(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* The objects `run` would read: the file and what the loader maps for it;
 * or, for a pid, what the process maps now. */
static int objects_of(const char *arg, const struct func_patterns *pats,
		      struct target_objects *objs)
{
	struct path_list libs = { 0 };
	struct target_object *o;
	int err = 0;

	if (is_pid(arg))
		return target__objects(atoi(arg), objs);
	if (any_lib(pats))
		err = loader__startup_libs(arg, false, &libs);
	if (err)
		pr_warn("%s: the dynamic loader could not list its libraries: %s\n",
			arg, strerror(-err));
	objs->v = calloc(libs.n + 1, sizeof(*objs->v));
	if (!objs->v) {
		path_list__free(&libs);
		return -ENOMEM;
	}
	for (size_t i = 0; i <= libs.n; i++) {
		o = &objs->v[objs->n++];
		o->is_exe = i == 0;
		o->path = strdup(i ? libs.v[i - 1] : arg);
		o->name = strdup(o->path ?: "");
		if (!o->path || !o->name)
			err = -ENOMEM;
	}
	path_list__free(&libs);
	return err == -ENOMEM ? err : 0;
}

static void print_table(FILE *out, const struct listed *l, size_t n,
			size_t total)
{
	int w = strlen("FUNCTION");

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < l[i].funcs.n; j++) {
			int len = strlen(l[i].funcs.v[j].name);

			w = len > w ? len : w;
		}
	}
	fprintf(out, "%-*s  %-18s  %8s  LIBRARY\n", w, "FUNCTION", "ADDRESS",
		"SIZE");
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < l[i].funcs.n; j++) {
			const struct func *f = &l[i].funcs.v[j];

			fprintf(out,
				"%-*s  %#-18" PRIx64 "  %8" PRIu64 "  %s\n", w,
				f->name, f->vaddr, f->size, l[i].object);
		}
	}
	fprintf(out, "%zu function%s\n", total, total == 1 ? "" : "s");
}

static void print_csv(FILE *out, const char *arg, const struct listed *l,
		      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < l[i].funcs.n; j++) {
			const struct func *f = &l[i].funcs.v[j];

			csv__field(out, arg);
			fputc(',', out);
			csv__field(out, l[i].object);
			fputc(',', out);
			csv__field(out, f->name);
			fprintf(out,
				",%#" PRIx64 ",%" PRIu64 ",%#" PRIx64 ",%d\n",
				f->vaddr, f->size, f->offset, f->endbr);
		}
	}
}

/* The objects' DWARF may say why: the functions were inlined. */
static const char *inlined_in(const struct func_pattern *p,
			      const struct target_objects *objs, char *first,
			      size_t size)
{
	for (size_t i = 0; i < objs->n; i++) {
		const struct target_object *o = &objs->v[i];

		if (func_pattern__applies(p, o->name, o->is_exe) &&
		    funcs__inlined(o->path, p->glob, first, size) > 0)
			return o->name;
	}
	return NULL;
}

static void say_unmatched(const struct func_patterns *pats,
			  const struct target_objects *objs, const char *arg)
{
	char first[256];
	const char *in;

	for (size_t i = 0; i < pats->n; i++) {
		const struct func_pattern *p = &pats->v[i];

		if (p->matched)
			continue;
		in = inlined_in(p, objs, first, sizeof(first));
		if (in)
			pr_warn("%s: --func %s%s%s matches only inlined functions (%s in %s): they cannot be probed\n",
				arg, p->lib ?: "", p->lib ? ":" : "", p->glob,
				first, in);
		else
			pr_warn("%s: --func %s%s%s matches no function\n", arg,
				p->lib ?: "", p->lib ? ":" : "", p->glob);
	}
}

int list__functions(FILE *out, const char *arg, struct list_opts *opts)
{
	struct target_objects objs = { 0 };
	struct listed *l = NULL;
	size_t total = 0;
	int err;

	for (size_t i = 0; i < opts->funcs.n; i++)
		opts->funcs.v[i].matched = 0;
	err = objects_of(arg, &opts->funcs, &objs);
	if (!err && !(l = calloc(objs.n ?: 1, sizeof(*l))))
		err = -ENOMEM;
	for (size_t i = 0; !err && i < objs.n; i++) {
		const struct target_object *o = &objs.v[i];

		l[i].object = o->name;
		err = funcs__match(o->path, o->name, o->is_exe, &opts->funcs,
				   &l[i].funcs);
		if (err == -ENOEXEC && !o->is_exe)
			err = 0; /* a mapping that is no ELF file */
		total += err > 0 ? err : 0;
		err = err < 0 ? err : 0;
	}
	if (!err && opts->format == FORMAT_CSV)
		print_csv(out, arg, l, objs.n);
	else if (!err)
		print_table(out, l, objs.n, total);
	if (!err)
		say_unmatched(&opts->funcs, &objs, arg);
	if (!err && total > FUNCS_REFUSE_AT)
		pr_warn("%s: %zu functions: run and attach refuse more than %d without --force\n",
			arg, total, FUNCS_REFUSE_AT);
	for (size_t i = 0; l && i < objs.n; i++)
		func_list__free(&l[i].funcs);
	free(l);
	target_objects__free(&objs);
	return err;
}
