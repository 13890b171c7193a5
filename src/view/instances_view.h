/* SPDX-License-Identifier: PostgreSQL */
/*
 * instances_view: what 'list' shows of the instances detection found --
 * numbered, with version, port, status, data directory, config file, log
 * files with how each was found, older files, and warnings with the SQL
 * that fixes them -- as text or as one JSON object {"instances": [...]}.
 */
#ifndef PGTAIL_INSTANCES_VIEW_H
#define PGTAIL_INSTANCES_VIEW_H

#include "detect/instances.h"
#include "util/out.h"

void instances_print_text(const struct instance_list *l, struct out *o);
void instances_print_json(const struct instance_list *l, struct out *o);

#endif
