// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* profile_file__is_profile: whether a file is one of ours, asked before it
 * is replaced (output/file.c keeps profiles as NAME.old and refuses other
 * files without --force). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hdf5/profile_file.h"
#include "hdf5/schema.h"

/* The format signature, which our writer puts at offset 0 (no user
 * block). Checked by hand so that HDF5 only ever opens HDF5 files. */
static const unsigned char hdf5_signature[8] = { 0x89, 'H',  'D',  'F',
						 '\r', '\n', 0x1a, '\n' };

static int has_signature(const char *path)
{
	unsigned char buf[sizeof(hdf5_signature)];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	return n == sizeof(buf) && !memcmp(buf, hdf5_signature, sizeof(buf));
}

/* The root's "schema" attribute, variable-length (ours) or fixed. */
static bool schema_is_ours(hid_t file)
{
	hid_t attr = H5Aopen(file, "schema", H5P_DEFAULT);
	hid_t ftype = attr >= 0 ? H5Aget_type(attr) : H5I_INVALID_HID;
	/* a copy: the memory type must keep the file's character set */
	hid_t mtype = ftype >= 0 ? H5Tcopy(ftype) : H5I_INVALID_HID;
	char *vlen = NULL, fixed[32] = { 0 };
	bool ours = false;

	if (mtype < 0 || H5Tget_class(ftype) != H5T_STRING)
		goto cleanup;
	if (H5Tis_variable_str(ftype) > 0) {
		if (H5Aread(attr, mtype, &vlen) >= 0 && vlen)
			ours = !strcmp(vlen, PROFILE_SCHEMA_NAME);
		H5free_memory(vlen);
	} else if (H5Tget_size(ftype) < sizeof(fixed) &&
		   H5Tset_size(mtype, sizeof(fixed)) >= 0 &&
		   H5Tset_strpad(mtype, H5T_STR_NULLTERM) >= 0 &&
		   H5Aread(attr, mtype, fixed) >= 0) {
		ours = !strcmp(fixed, PROFILE_SCHEMA_NAME);
	}
cleanup:
	schema__close(mtype);
	schema__close(ftype);
	schema__close(attr);
	return ours;
}

int profile_file__is_profile(const char *path)
{
	int sig = has_signature(path);
	hid_t file;
	bool ours;

	if (sig <= 0)
		return sig;
	schema__quiet();
	file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	if (file < 0)
		return 0;
	ours = schema_is_ours(file);
	H5Fclose(file);
	return ours;
}
