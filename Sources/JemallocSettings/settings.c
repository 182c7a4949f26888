// jemalloc reads this symbol at start-up (as it reads MALLOC_CONF).
//
// dirty_decay_ms:-1 keeps freed pages for reuse instead of handing them back to the kernel.
// A handler that grows a string until it runs out of memory, retried on every shard, asks
// for the same hundreds of megabytes again and again: with the pages kept, a retry costs its
// copying and not also the kernel's page faults and zeroing (measured: a 2-minute lab 1 run
// with such a handler on StateLambda took 360 s, and 84 s with this). Grading runs were
// unchanged (grade lab1/lab2 --solution, same wall time within noise, same peak memory).
const char *malloc_conf = "dirty_decay_ms:-1";

#include <stddef.h>
#include <stdint.h>

// jemalloc's control interface (jemalloc.h; declared here so the target needs no header).
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

size_t labengine_allocated_bytes(void) {
    // Statistics are refreshed when the epoch advances.
    uint64_t epoch = 1;
    size_t length = sizeof(epoch);
    mallctl("epoch", &epoch, &length, &epoch, length);
    size_t allocated = 0;
    length = sizeof(allocated);
    if (mallctl("stats.allocated", &allocated, &length, NULL, 0) != 0) return 0;
    return allocated;
}
