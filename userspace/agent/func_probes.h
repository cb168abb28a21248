/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --func: functions of the target's objects as regions, an entry probe and
 * a return probe each (docs/functions.md). */
#ifndef SCOPE_FUNC_PROBES_H
#define SCOPE_FUNC_PROBES_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/probes.h"
#include "discover/funcs.h"
#include "profile/regions.h"

struct func_probes;

/* NULL with errno set. @pats (kept, not owned) counts its matches. */
struct func_probes *func_probes__new(struct func_patterns *pats);
void func_probes__free(struct func_probes *fp);
/* Finds the functions the patterns name in the object at @path (@name as
 * the target maps it; @is_exe for the executable). 0 or -errno (said). */
int func_probes__collect(struct func_probes *fp, const char *path,
			 const char *name, bool is_exe);
/* Says the patterns that matched nothing, warns past FUNCS_WARN_AT
 * functions and refuses (-E2BIG) past FUNCS_REFUSE_AT unless @force; then
 * interns a region per function (its demangled name) and attaches its
 * probes. 0 or -errno (said). */
int func_probes__attach(struct func_probes *fp, struct probes *p,
			struct region_table *regions, bool force);
/* An object the target mapped after attach (dlopen): its functions the
 * patterns name, probed at once (past FUNCS_REFUSE_AT with the others,
 * said and left out unless @force). The number probed, or -errno (said). */
int func_probes__attach_late(struct func_probes *fp, struct probes *p,
			     struct region_table *regions, const char *path,
			     const char *name, bool force);
/* Functions with probes. */
size_t func_probes__count(const struct func_probes *fp);

#endif /* SCOPE_FUNC_PROBES_H */
