/* nlif_plugin_host.h — loading a C plugin (--plugin, harness/host/plugin.c): what bin/nlif does with a
 * shared object written against the installed headers (nlif_plugin.h says what a plugin is). */
#ifndef NLIF_PLUGIN_HOST_H
#define NLIF_PLUGIN_HOST_H

#include "../../core/nlif_error.h"

/* --plugin PATH: dlopen PATH (made absolute), check its ABI, structure sizes and scheme types, and
 * register every scheme it brings. A refusal (NLIF_EINVAL) says what is wrong and what is allowed,
 * and registers none of its schemes. */
int nlif_plugin_load(const char *path, nlif_error *err);

#endif
