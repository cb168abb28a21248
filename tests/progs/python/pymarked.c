// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A C extension module with a marker region of its own, "cwork": a Python
 * region around pymarked.work() must show cwork as its child. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

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

/* The marker's bytes after its 1-byte nop, which no probe changes. */
static const unsigned char lea_down[] = { 0x48, 0x8d, 0x64, 0x24, 0x80 };

/* probed(): an agent's probes are on both sites of cwork (a trap on the nop
 * or a call on the nop5), so that a test starts counting only then */
static PyObject *probed(PyObject *mod, PyObject *unused)
{
	const unsigned char *p = (const unsigned char *)work;
	int sites = 0, hits = 0;

	(void)mod;
	(void)unused;
	for (int i = 0; i < 512 && sites < 2; i++) {
		if (memcmp(p + i + 1, lea_down, sizeof(lea_down)))
			continue;
		sites++;
		hits += p[i] == 0xcc || p[i + SCOPE_BPF_NOP5_OFFSET] == 0xcc ||
			p[i + SCOPE_BPF_NOP5_OFFSET] == 0xe8;
	}
	return PyBool_FromLong(sites == 2 && hits == 2);
}

static PyMethodDef pymarked_functions[] = {
	{ "work", work, METH_O, "n iterations in the C region cwork" },
	{ "probed", probed, METH_NOARGS, "both sites of cwork are probed" },
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
