// The small C layer between Swift and Lua: what Swift cannot see (macros) and what must
// never run in a Swift frame (lua_error's longjmp, hooks, the allocator).
#ifndef LUASHIM_H
#define LUASHIM_H

#include <stddef.h>
#include <stdint.h>

typedef struct lua_State lua_State;

/// Per-state accounting shared by the allocator and the count hook.
/// Memory shared by several states (all function code of a world): a second cap.
typedef struct LuaShimPool {
    size_t used;
    size_t limit;
} LuaShimPool;

typedef struct LuaShimLimits {
    size_t memoryUsed;
    size_t memoryLimit;
    LuaShimPool *pool;        // NULL: no shared cap
    int enforceMemory;        // 0 while the host itself pushes values
    int memoryExceeded;       // set when an allocation was refused
    long long instructionsUsed;
    long long instructionLimit;  // <= 0: unlimited
    int instructionExceeded;
    int hookInterval;
    /* Where the last error happened (innermost script frame) and its traceback. */
    char errorSource[512];
    int errorLine;
    char traceback[2048];
} LuaShimLimits;

/// Host dispatch: called by the trampoline of every registered Swift function.
/// Returns the number of results pushed, or -1 with an error value on top of the stack.
typedef int (*LuaShimHostDispatch)(lua_State *L, void *owner, long long index);

lua_State *luashim_newstate(LuaShimLimits *limits);
void luashim_set_dispatch(LuaShimHostDispatch dispatch);
void luashim_open_safe_libs(lua_State *L);
/// Replaces string.find, match, gmatch and gsub with matchers that count their steps
/// against the instruction budget (Debian's run inside one VM instruction, unbounded).
void luashim_install_bounded_patterns(lua_State *L);
void luashim_push_host_function(lua_State *L, void *owner, long long index);
/// Counts work that one VM instruction hides (a pattern match, a sort) as `instructions`,
/// and raises the instruction-limit error once the budget is spent.
void luashim_charge(lua_State *L, long long instructions);
/// From a C function whose upvalue 1 is the Lua library function it stands in for: calls
/// that function with this call's arguments and returns its results. Its errors that
/// `is_own` accepts (NULL: all) are raised again from this frame, so they name the function
/// and the script's line as Lua's own would; a refused allocation arrives as Lua's "not
/// enough memory".
int luashim_delegate(lua_State *L, int (*is_own)(const char *message));
/// A call's first LUASHIM_FREE_STEPS steps of hidden work (comparisons, elements moved,
/// values pushed) are free, so small calls cost what they always did; each further one costs
/// LUASHIM_INSTRUCTIONS_PER_STEP (measured: a sort's comparison or a pattern step costs the
/// host about what two VM instructions do).
#define LUASHIM_FREE_STEPS 4096
#define LUASHIM_INSTRUCTIONS_PER_STEP 2
/// Charges `steps` made in one call, past the free ones (saturating for huge counts).
void luashim_charge_steps(lua_State *L, long long steps);
/// Charges a call that reads `bytes` of a string as filling a block is charged: once there
/// are more than 64 KB of them, one instruction per `bytes_per_instruction` (32 for a
/// search, as for filling; 4 for UTF-8 decoding; 1 for compiling).
void luashim_charge_bytes(lua_State *L, size_t bytes, size_t bytes_per_instruction);
/// n * ceil(log2 n): what sorting n keys is charged when the exact count would depend on
/// something other than the script (the hash order of a table's keys).
long long luashim_sort_comparisons(long long n);
/// Replaces table.sort with a heapsort that is deterministic (Lua's own picks pivots from
/// clock() and time() on unbalanced input) and counts its comparisons against the budget.
void luashim_install_bounded_sort(lua_State *L);
/// Replaces table.insert, remove, move and unpack with versions that charge the elements they shift
/// or copy against the budget (Lua's ran inside one VM instruction, unbounded).
void luashim_install_bounded_tables(lua_State *L);
/// Replaces string.byte, utf8.len, utf8.codepoint, utf8.offset and load with versions that
/// charge the values they push and the bytes they decode or compile against the budget.
void luashim_install_bounded_scans(lua_State *L);
/// Replaces tostring and string.format with versions that write common numbers without
/// snprintf; their results are the same bytes as Lua's (format.c says why).
void luashim_install_fast_format(lua_State *L);
/// Resets the instruction counter and arms the count hook on this thread.
void luashim_arm_limits(lua_State *L);
/// lua_pcall with a message handler that records a traceback and the erroring frame.
int luashim_pcall(lua_State *L, int nargs, int nresults);
int luashim_load(lua_State *L, const char *source, size_t length, const char *chunkname);

/// Pushes a C function: sortedKeys(t) returns t's keys in a fixed order.
void luashim_push_sorted_keys(lua_State *L);
/// Pushes where(): "file:line" of the innermost script-file frame of the caller, or nil.
void luashim_push_script_where(lua_State *L);
void luashim_pop(lua_State *L, int n);
int luashim_registryindex(void);
int luashim_multret(void);
void luashim_full_gc(lua_State *L);
size_t luashim_memory_used(lua_State *L);

#endif
