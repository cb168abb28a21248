// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A C extension module with a marker region of its own, "cwork": a Python
 * region around pymarked.work() must show cwork as its child. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <scope_bpf.h>

static volatile unsigned long sink;

/* work(n): n iterations inside the C region cwork */
static PyObject *work(PyObject *mod, PyObject *arg)
{
	long n = PyLong_AsLong(arg);

	(void)mod;
	if (n == -1 && PyErr_Occurred())
		return NULL;
	SCOPE_BPF_BEGIN(cwork);
	for (long i = 0; i < n; i++)
		sink += (unsigned long)i;
	SCOPE_BPF_END(cwork);
	Py_RETURN_NONE;
}

static PyMethodDef pymarked_functions[] = {
	{ "work", work, METH_O, "n iterations in the C region cwork" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef pymarked_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "pymarked",
	.m_methods = pymarked_functions,
};

PyMODINIT_FUNC PyInit_pymarked(void)
{
	return PyModule_Create(&pymarked_module);
}
