// The target defines jemalloc's `malloc_conf` for the executables, and reads jemalloc's
// statistics for the benchmarks.

#ifndef JEMALLOC_SETTINGS_H
#define JEMALLOC_SETTINGS_H

#include <stddef.h>

/// Bytes the process holds allocated through jemalloc now (freed pages it keeps do not count).
size_t labengine_allocated_bytes(void);

#endif
