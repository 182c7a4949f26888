// The target defines jemalloc's `malloc_conf` for the executables, and reads jemalloc's
// statistics for the benchmarks.

#include <stddef.h>

/// Bytes the process holds allocated through jemalloc now (freed pages it keeps do not count).
size_t labengine_allocated_bytes(void);
