/* SPDX-License-Identifier: MIT */
/*
 * scope_bpf_likwid.h: LIKWID's marker API on scope-bpf's markers, for code
 * instrumented for LIKWID that is rebuilt without liblikwid.
 *
 *     cc -include scope_bpf_likwid.h -c solver.c     // solver.c unchanged
 *
 * or #include <scope_bpf_likwid.h> in place of <likwid-marker.h>. Each
 * LIKWID_MARKER_START(tag) / LIKWID_MARKER_STOP(tag) becomes
 * scope_bpf_begin_named(tag) / scope_bpf_end_named(tag): a region named by
 * the tag, read at run time (docs/likwid.md). INIT, THREADINIT, REGISTER,
 * SWITCH, RESET and CLOSE do nothing; GET reports no events, no time and no
 * calls. Unlike LIKWID's header the markers are on whether or not
 * LIKWID_PERFMON is defined (detached they cost what any marker costs);
 * -DSCOPE_BPF_DISABLE turns them off.
 *
 * Included first, it keeps <likwid-marker.h> from defining the macros again
 * (it takes that header's include guard); included after it, it replaces
 * that header's macros.
 */
#ifndef SCOPE_BPF_LIKWID_H
#define SCOPE_BPF_LIKWID_H

#include <scope_bpf.h>

#ifndef LIKWID_MARKER_H
#define LIKWID_MARKER_H
#endif

#undef LIKWID_MARKER_INIT
#undef LIKWID_MARKER_THREADINIT
#undef LIKWID_MARKER_SWITCH
#undef LIKWID_MARKER_REGISTER
#undef LIKWID_MARKER_START
#undef LIKWID_MARKER_STOP
#undef LIKWID_MARKER_CLOSE
#undef LIKWID_MARKER_RESET
#undef LIKWID_MARKER_GET

#define LIKWID_MARKER_INIT	    ((void)0)
#define LIKWID_MARKER_THREADINIT    ((void)0)
#define LIKWID_MARKER_SWITCH	    ((void)0)
#define LIKWID_MARKER_REGISTER(tag) ((void)(const char *)(tag))
#define LIKWID_MARKER_START(tag)    scope_bpf_begin_named(tag)
#define LIKWID_MARKER_STOP(tag)	    scope_bpf_end_named(tag)
#define LIKWID_MARKER_CLOSE	    ((void)0)
#define LIKWID_MARKER_RESET(tag)    ((void)(const char *)(tag))
#define LIKWID_MARKER_GET(tag, nevents, events, time, count)                   \
	((void)(const char *)(tag), (void)(events), *(nevents) = 0,            \
	 *(time) = 0, *(count) = 0)

#endif /* SCOPE_BPF_LIKWID_H */
