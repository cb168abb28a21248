/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Names of a profile's ids, as the exports print them. */
#ifndef SCOPE_EXPORT_NAMES_H
#define SCOPE_EXPORT_NAMES_H

#include <stdint.h>

#include "profile/profile.h"

/* Region @id's name, "?" for an id the table lacks (a damaged file). */
const char *export__region_name(const struct profile *p, uint32_t id);
/* The thread's last name (comm), "" when unknown. */
const char *export__thread_comm(const struct profile *p, uint32_t pid,
				uint32_t tid);
/* Process @pid's name: its main thread's comm, else any of its threads',
 * "" when unknown. */
const char *export__process_comm(const struct profile *p, uint32_t pid);

#endif /* SCOPE_EXPORT_NAMES_H */
