// SPDX-License-Identifier: MIT
/* The C half of the scope_bpf Python module: regions named at run time, the
 * profiled-function wrapper and the "is an agent attached?" test, so that a
 * detached call costs a C call and two nop sites, never a Python frame. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "site.h"

/* A region: its site string (what the agent reads, see site.h) lives for the
 * life of the process, since an agent may read it at any time after the
 * first begin; regions are interned by the Python layer, one per name. */
typedef struct {
	PyObject_HEAD const char *site;
	PyObject *name;
	PyObject *file;
	int line;
} region;

static PyTypeObject region_type;

static int region_init(region *self, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "name", "file", "line", NULL };
	PyObject *name, *file;
	const char *s;
	int line;

	if (self->site) {
		PyErr_SetString(PyExc_TypeError, "a region is set up once");
		return -1;
	}
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "UUi", kwlist, &name,
					 &file, &line))
		return -1;
	s = sbpy_site__string(PyUnicode_AsUTF8(name), PyUnicode_AsUTF8(file),
			      line);
	if (!s)
		return PyErr_NoMemory(), -1;
	self->site = s;
	Py_INCREF(name);
	Py_INCREF(file);
	self->name = name;
	self->file = file;
	self->line = line;
	return 0;
}

/* The site string is not freed: an agent may still read it. Regions are
 * interned, so this leaks nothing that grows. */
static void region_dealloc(region *self)
{
	Py_XDECREF(self->name);
	Py_XDECREF(self->file);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *region_begin(region *self, PyObject *unused)
{
	(void)unused;
	sbpy_site__begin(self->site);
	Py_RETURN_NONE;
}

static PyObject *region_end(region *self, PyObject *unused)
{
	(void)unused;
	sbpy_site__end(self->site);
	Py_RETURN_NONE;
}

static PyObject *region_enter(region *self, PyObject *unused)
{
	(void)unused;
	sbpy_site__begin(self->site);
	Py_INCREF(self);
	return (PyObject *)self;
}

/* Never suppresses the exception: returns None. */
static PyObject *region_exit(region *self, PyObject *const *args,
			     Py_ssize_t nargs)
{
	(void)args;
	(void)nargs;
	sbpy_site__end(self->site);
	Py_RETURN_NONE;
}

static PyObject *region_repr(region *self)
{
	return PyUnicode_FromFormat("<scope_bpf.region %R at %U:%d>",
				    self->name, self->file, self->line);
}

static PyMethodDef region_methods[] = {
	{ "begin", (PyCFunction)region_begin, METH_NOARGS,
	  "Begins the region on this thread." },
	{ "end", (PyCFunction)region_end, METH_NOARGS,
	  "Ends the region on this thread." },
	{ "__enter__", (PyCFunction)region_enter, METH_NOARGS, NULL },
	{ "__exit__", (PyCFunction)(void (*)(void))region_exit, METH_FASTCALL,
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static PyMemberDef region_members[] = {
	{ "name", T_OBJECT, offsetof(region, name), READONLY,
	  "the region's name" },
	{ "file", T_OBJECT, offsetof(region, file), READONLY,
	  "the source file recorded for it" },
	{ "line", T_INT, offsetof(region, line), READONLY,
	  "the source line recorded for it" },
	{ NULL, 0, 0, 0, NULL },
};

static PyObject *region_site(region *self, void *unused)
{
	size_t nlen = strlen(self->site) + 1;

	(void)unused;
	return PyBytes_FromStringAndSize(self->site,
					 nlen + strlen(self->site + nlen));
}

static PyGetSetDef region_getset[] = {
	{ "site", (getter)region_site, NULL,
	  "the bytes at the sites' address: name, NUL, file:line", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject region_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "scope_bpf._core.Region",
	.tp_doc = "Region(name, file, line): a region named at run time; "
		  "a context manager, or begin()/end().",
	.tp_basicsize = sizeof(region),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_new = PyType_GenericNew,
	.tp_init = (initproc)region_init,
	.tp_dealloc = (destructor)region_dealloc,
	.tp_repr = (reprfunc)region_repr,
	.tp_methods = region_methods,
	.tp_members = region_members,
	.tp_getset = region_getset,
};

/* A function with a region around each call. It is a method descriptor
 * like a plain function, so obj.method() calls it with obj first and makes
 * no bound method. */
typedef struct {
	PyObject_HEAD PyObject *func;
	region *reg;
	vectorcallfunc vectorcall;
	PyObject *dict;
	PyObject *weakrefs;
} profiled;

static PyObject *profiled_vectorcall(PyObject *callable, PyObject *const *args,
				     size_t nargsf, PyObject *kwnames)
{
	profiled *p = (profiled *)callable;
	const char *site = p->reg->site;
	PyObject *res;

	sbpy_site__begin(site);
	res = PyObject_Vectorcall(p->func, args, nargsf, kwnames);
	sbpy_site__end(site);
	return res;
}

static PyObject *profiled_new(PyTypeObject *type, PyObject *args,
			      PyObject *kwds)
{
	PyObject *func, *reg;
	profiled *p;

	if (kwds && PyDict_GET_SIZE(kwds)) {
		PyErr_SetString(PyExc_TypeError, "Profiled takes no keywords");
		return NULL;
	}
	if (!PyArg_ParseTuple(args, "OO!", &func, &region_type, &reg))
		return NULL;
	if (!PyCallable_Check(func)) {
		PyErr_SetString(PyExc_TypeError, "Profiled needs a callable");
		return NULL;
	}
	p = (profiled *)type->tp_alloc(type, 0);
	if (!p)
		return NULL;
	Py_INCREF(func);
	Py_INCREF(reg);
	p->func = func;
	p->reg = (region *)reg;
	p->vectorcall = profiled_vectorcall;
	return (PyObject *)p;
}

static int profiled_traverse(profiled *p, visitproc visit, void *arg)
{
	Py_VISIT(p->func);
	Py_VISIT(p->dict);
	return 0;
}

static int profiled_clear(profiled *p)
{
	Py_CLEAR(p->func);
	Py_CLEAR(p->dict);
	return 0;
}

static void profiled_dealloc(profiled *p)
{
	PyObject_GC_UnTrack(p);
	if (p->weakrefs)
		PyObject_ClearWeakRefs((PyObject *)p);
	profiled_clear(p);
	Py_CLEAR(p->reg);
	Py_TYPE(p)->tp_free((PyObject *)p);
}

static PyObject *profiled_get(PyObject *self, PyObject *obj, PyObject *type)
{
	(void)type;
	if (!obj || obj == Py_None) {
		Py_INCREF(self);
		return self;
	}
	return PyMethod_New(self, obj);
}

static PyObject *profiled_repr(profiled *p)
{
	return PyUnicode_FromFormat("<scope_bpf.profile %R of %R>",
				    p->reg->name, p->func);
}

static PyMemberDef profiled_members[] = {
	{ "__wrapped__", T_OBJECT, offsetof(profiled, func), READONLY,
	  "the function profiled" },
	{ "region", T_OBJECT, offsetof(profiled, reg), READONLY,
	  "the region of each call" },
	{ "__dictoffset__", T_PYSSIZET, offsetof(profiled, dict), READONLY,
	  NULL },
	{ "__weaklistoffset__", T_PYSSIZET, offsetof(profiled, weakrefs),
	  READONLY, NULL },
	{ "__vectorcalloffset__", T_PYSSIZET, offsetof(profiled, vectorcall),
	  READONLY, NULL },
	{ NULL, 0, 0, 0, NULL },
};

static PyGetSetDef profiled_getset[] = {
	{ "__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyTypeObject profiled_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "scope_bpf._core.Profiled",
	.tp_doc = "Profiled(func, region): func with a region around each "
		  "call.",
	.tp_basicsize = sizeof(profiled),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
		    Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
	.tp_new = profiled_new,
	.tp_traverse = (traverseproc)profiled_traverse,
	.tp_clear = (inquiry)profiled_clear,
	.tp_dealloc = (destructor)profiled_dealloc,
	.tp_call = PyVectorcall_Call,
	.tp_vectorcall_offset = offsetof(profiled, vectorcall),
	.tp_descr_get = profiled_get,
	.tp_dictoffset = offsetof(profiled, dict),
	.tp_weaklistoffset = offsetof(profiled, weakrefs),
	.tp_repr = (reprfunc)profiled_repr,
	.tp_members = profiled_members,
	.tp_getset = profiled_getset,
};

/* region(name), begin(name), end(name): the name's region from the table
 * the Python layer keeps, or from its fallback for a name met for the first
 * time (which records the caller's file and line: no Python frame of ours
 * lies between). A C callable, so that the common case runs no Python. */
enum lookup_action { LOOKUP_REGION, LOOKUP_BEGIN, LOOKUP_END };

typedef struct {
	PyObject_HEAD PyObject *table;
	PyObject *fallback;
	int action;
	vectorcallfunc vectorcall;
} lookup;

static PyObject *lookup_vectorcall(PyObject *callable, PyObject *const *args,
				   size_t nargsf, PyObject *kwnames)
{
	lookup *l = (lookup *)callable;
	PyObject *reg;

	if (PyVectorcall_NARGS(nargsf) != 1 || kwnames) {
		PyErr_SetString(PyExc_TypeError,
				"takes one argument: the name");
		return NULL;
	}
	reg = PyDict_GetItemWithError(l->table, args[0]);
	if (reg)
		Py_INCREF(reg);
	else if (PyErr_Occurred())
		return NULL;
	else
		reg = PyObject_CallOneArg(l->fallback, args[0]);
	if (!reg || l->action == LOOKUP_REGION)
		return reg;
	if (!Py_IS_TYPE(reg, &region_type)) {
		Py_DECREF(reg);
		PyErr_SetString(PyExc_TypeError, "not a region");
		return NULL;
	}
	if (l->action == LOOKUP_BEGIN)
		sbpy_site__begin(((region *)reg)->site);
	else
		sbpy_site__end(((region *)reg)->site);
	Py_DECREF(reg);
	Py_RETURN_NONE;
}

static PyObject *lookup_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
	PyObject *table, *fallback;
	lookup *l;
	int action;

	if (kwds && PyDict_GET_SIZE(kwds)) {
		PyErr_SetString(PyExc_TypeError, "Lookup takes no keywords");
		return NULL;
	}
	if (!PyArg_ParseTuple(args, "O!Oi", &PyDict_Type, &table, &fallback,
			      &action))
		return NULL;
	if (action < LOOKUP_REGION || action > LOOKUP_END) {
		PyErr_SetString(PyExc_ValueError, "action: 0, 1 or 2");
		return NULL;
	}
	l = (lookup *)type->tp_alloc(type, 0);
	if (!l)
		return NULL;
	Py_INCREF(table);
	Py_INCREF(fallback);
	l->table = table;
	l->fallback = fallback;
	l->action = action;
	l->vectorcall = lookup_vectorcall;
	return (PyObject *)l;
}

static int lookup_traverse(lookup *l, visitproc visit, void *arg)
{
	Py_VISIT(l->table);
	Py_VISIT(l->fallback);
	return 0;
}

static int lookup_clear(lookup *l)
{
	Py_CLEAR(l->table);
	Py_CLEAR(l->fallback);
	return 0;
}

static void lookup_dealloc(lookup *l)
{
	PyObject_GC_UnTrack(l);
	lookup_clear(l);
	Py_TYPE(l)->tp_free((PyObject *)l);
}

static PyTypeObject lookup_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "scope_bpf._core.Lookup",
	.tp_doc = "Lookup(table, fallback, action): name -> region (0), "
		  "its begin (1) or its end (2).",
	.tp_basicsize = sizeof(lookup),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
		    Py_TPFLAGS_HAVE_VECTORCALL,
	.tp_new = lookup_new,
	.tp_traverse = (traverseproc)lookup_traverse,
	.tp_clear = (inquiry)lookup_clear,
	.tp_dealloc = (destructor)lookup_dealloc,
	.tp_call = PyVectorcall_Call,
	.tp_vectorcall_offset = offsetof(lookup, vectorcall),
};

static PyObject *core_attached(PyObject *mod, PyObject *unused)
{
	(void)mod;
	(void)unused;
	return PyBool_FromLong(sbpy_site__attached());
}

static PyMethodDef core_functions[] = {
	{ "attached", core_attached, METH_NOARGS,
	  "True while an agent has probed this process's named-region sites." },
	{ NULL, NULL, 0, NULL },
};

static int core_exec(PyObject *mod)
{
	if (PyType_Ready(&region_type) || PyType_Ready(&profiled_type) ||
	    PyType_Ready(&lookup_type))
		return -1;
	if (PyModule_AddObjectRef(mod, "Region", (PyObject *)&region_type) ||
	    PyModule_AddObjectRef(mod, "Profiled",
				  (PyObject *)&profiled_type) ||
	    PyModule_AddObjectRef(mod, "Lookup", (PyObject *)&lookup_type))
		return -1;
	if (PyModule_AddStringConstant(mod, "SITE_FORM", SBPY_SITE_FORM))
		return -1;
	if (sbpy_site__init()) {
		PyErr_SetString(PyExc_ImportError,
				"scope_bpf: no named-region site in _core");
		return -1;
	}
	return 0;
}

static PyModuleDef_Slot core_slots[] = {
	{ Py_mod_exec, core_exec },
	{ 0, NULL },
};

static struct PyModuleDef core_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "scope_bpf._core",
	.m_doc = "Run-time named regions for scope-bpf (see scope_bpf).",
	.m_methods = core_functions,
	.m_slots = core_slots,
};

PyMODINIT_FUNC PyInit__core(void)
{
	return PyModuleDef_Init(&core_module);
}
