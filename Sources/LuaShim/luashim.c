#include "luashim.h"
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

static LuaShimHostDispatch host_dispatch = NULL;

static LuaShimLimits *limits_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (LuaShimLimits *)ud;
}

// Lua says each block's size when it frees it; where jemalloc is linked (Package.swift) a
// sized free skips its lookup of the size (allocating and freeing were 5 % of a run).
// (jemalloc's mallocx and rallocx measured slower than its malloc and realloc here.)
#if defined(__linux__)
void sdallocx(void *ptr, size_t size, int flags);
#define BLOCK_FREE(ptr, size) sdallocx(ptr, size, 0)
#else
#define BLOCK_FREE(ptr, size) free(ptr)
#endif

#define LARGE_BLOCK 65536
#define BYTES_PER_INSTRUCTION 32

// Refuses growth past the cap while Lua code runs; Lua turns NULL into a memory error.
// Shrinking never fails, as Lua requires.
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    LuaShimLimits *lim = (LuaShimLimits *)ud;
    size_t old = ptr ? osize : 0;
    LuaShimPool *pool = lim->pool;
    if (nsize == 0) {
        if (ptr != NULL) BLOCK_FREE(ptr, osize);
        lim->memoryUsed -= old;
        if (pool) pool->used -= old;
        return NULL;
    }
    if (nsize > old && lim->enforceMemory &&
        ((lim->memoryLimit > 0 && lim->memoryUsed - old + nsize > lim->memoryLimit) ||
         (pool && pool->limit > 0 && pool->used - old + nsize > pool->limit))) {
        lim->memoryExceeded = 1;
        return NULL;
    }
    // Filling a large block is work the count hook never sees (string.rep, a doubling
    // concatenation, table.concat): it counts as instructions, one per BYTES_PER_INSTRUCTION.
    if (nsize > old + LARGE_BLOCK && lim->enforceMemory) {
        lim->instructionsUsed += (long long)((nsize - old) / BYTES_PER_INSTRUCTION);
        if (lim->instructionLimit > 0 && lim->instructionsUsed > lim->instructionLimit) {
            lim->instructionExceeded = 1;
            return NULL;
        }
    }
    void *p = ptr != NULL ? realloc(ptr, nsize) : malloc(nsize);
    if (p == NULL) return NULL;
    lim->memoryUsed = lim->memoryUsed - old + nsize;
    if (pool) pool->used = pool->used - old + nsize;
    return p;
}

static int panic_handler(lua_State *L) {
    (void)L;
    // Only reachable through an unprotected call, which the bridge never makes.
    abort();
    return 0;
}

lua_State *luashim_newstate(LuaShimLimits *limits) {
    lua_State *L = lua_newstate(limited_alloc, limits);
    if (L != NULL) {
        lua_atpanic(L, panic_handler);
        lua_gc(L, LUA_GCGEN, 0, 0);
    }
    return L;
}

void luashim_set_dispatch(LuaShimHostDispatch dispatch) { host_dispatch = dispatch; }

void luashim_open_safe_libs(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    lua_pop(L, 6);
    luashim_install_bounded_patterns(L);
    luashim_install_bounded_sort(L);
    luashim_install_bounded_tables(L);
    luashim_install_bounded_scans(L);
    luashim_install_fast_format(L);
}

// The innermost frame from `from` on that runs a script file ('@' chunk), skipping the
// engine's own internal chunks ('=' chunks) so messages name the learner's line.
static int find_script_frame(lua_State *L, int from, lua_Debug *ar) {
    for (int level = from; lua_getstack(L, level, ar); level++) {
        if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0 && ar->source[0] == '@') return 1;
    }
    return 0;
}

// Pushes "chunk:line:" of that frame, or Lua's own position when there is none.
static void push_script_where(lua_State *L, int from) {
    lua_Debug ar;
    if (find_script_frame(L, from, &ar)) {
        lua_pushfstring(L, "%s:%d:", ar.source + 1, ar.currentline);
    } else {
        luaL_where(L, from);
    }
}

// where(): "file:line" of the innermost frame of a script file, or nothing (print's prefix).
static int script_where(lua_State *L) {
    lua_Debug ar;
    if (!find_script_frame(L, 1, &ar)) return 0;
    lua_pushfstring(L, "%s:%d", ar.source + 1, ar.currentline);
    return 1;
}

void luashim_push_script_where(lua_State *L) { lua_pushcfunction(L, script_where); }

// The C side of every Swift function: Swift reports errors by return value and the
// longjmp happens here, so it never crosses a Swift frame.
static int host_trampoline(lua_State *L) {
    void *owner = lua_touserdata(L, lua_upvalueindex(1));
    long long index = (long long)lua_tointeger(L, lua_upvalueindex(2));
    LuaShimLimits *lim = limits_of(L);
    int saved = lim->enforceMemory;
    lim->enforceMemory = 0;
    int n = host_dispatch ? host_dispatch(L, owner, index) : -1;
    lim->enforceMemory = saved;
    if (n < 0) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushliteral(L, "where");
            push_script_where(L, 1);
            lua_rawset(L, -3);
        }
        return lua_error(L);
    }
    return n;
}

void luashim_push_host_function(lua_State *L, void *owner, long long index) {
    lua_pushlightuserdata(L, owner);
    lua_pushinteger(L, (lua_Integer)index);
    lua_pushcclosure(L, host_trampoline, 2);
}

// Once over budget the hook fires on every instruction, so a pcall in the script
// cannot swallow the limit and carry on.
static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    LuaShimLimits *lim = limits_of(L);
    lim->instructionsUsed += lim->instructionExceeded ? 1 : lim->hookInterval;
    if (lim->instructionLimit > 0 && lim->instructionsUsed > lim->instructionLimit) {
        lim->instructionExceeded = 1;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
        luaL_error(L, "instruction limit exceeded");
    }
}

void luashim_charge(lua_State *L, long long instructions) {
    LuaShimLimits *lim = limits_of(L);
    lim->instructionsUsed += instructions;
    if (lim->instructionExceeded || (lim->instructionLimit > 0 && lim->instructionsUsed > lim->instructionLimit)) {
        lim->instructionExceeded = 1;
        luaL_error(L, "instruction limit exceeded");
    }
}

int luashim_delegate(lua_State *L, int (*is_own)(const char *message)) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) == LUA_OK) return lua_gettop(L);
    const char *message = lua_tostring(L, -1);
    if (message == NULL || (is_own != NULL && !is_own(message))) return lua_error(L);
    // Called from C, Lua's function found neither its name ("to '?'") nor the script's line
    // (its position is this C frame's, which has none). Raised again from this frame, as
    // Lua raises them, the error gets both: the name the script called this function by
    // ('format', or 'string.format' through pcall), and for a method call the argument
    // number less one.
    const char *unnamed = strstr(message, " to '?' (");
    size_t length = strlen(message);
    if (strncmp(message, "bad argument #", 14) == 0 && unnamed != NULL && message[length - 1] == ')') {
        int argument = atoi(message + 14);
        const char *extra = unnamed + 9;
        lua_pushlstring(L, extra, (size_t)(message + length - 1 - extra));
        return luaL_argerror(L, argument, lua_tostring(L, -1));
    }
    luaL_where(L, 1);
    lua_pushvalue(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
}

void luashim_charge_steps(lua_State *L, long long steps) {
    if (steps <= LUASHIM_FREE_STEPS) return;
    long long excess = steps - LUASHIM_FREE_STEPS;
    luashim_charge(L, excess > LLONG_MAX / LUASHIM_INSTRUCTIONS_PER_STEP ? LLONG_MAX / 2 : excess * LUASHIM_INSTRUCTIONS_PER_STEP);
}

void luashim_charge_bytes(lua_State *L, size_t bytes, size_t bytes_per_instruction) {
    if (bytes > LARGE_BLOCK) luashim_charge(L, (long long)(bytes / bytes_per_instruction));
}

void luashim_arm_limits(lua_State *L) {
    LuaShimLimits *lim = limits_of(L);
    lim->instructionsUsed = 0;
    lim->instructionExceeded = 0;
    lim->memoryExceeded = 0;
    if (lim->hookInterval <= 0) lim->hookInterval = 1000;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, lim->hookInterval);
}

// Records where the error happened (the innermost script frame, else the innermost Lua
// frame) and a traceback in the limits struct, and leaves the error value untouched.
// Nothing is allocated in Lua on the success path of a call.
static int message_handler(lua_State *L) {
    LuaShimLimits *lim = limits_of(L);
    int saved = lim->enforceMemory;
    lim->enforceMemory = 0;
    lua_Debug ar;
    int level;
    int found = 0;
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (level = 1; lua_getstack(L, level, &ar); level++) {
            if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && (pass == 1 || ar.source[0] == '@')) {
                snprintf(lim->errorSource, sizeof(lim->errorSource), "%s", ar.source);
                lim->errorLine = ar.currentline;
                found = 1;
                break;
            }
        }
    }
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    luaL_traceback(L, L, msg, 1);
    snprintf(lim->traceback, sizeof(lim->traceback), "%s", lua_tostring(L, -1));
    lim->enforceMemory = saved;
    lua_settop(L, 1);
    return 1;
}

int luashim_pcall(lua_State *L, int nargs, int nresults) {
    LuaShimLimits *lim = limits_of(L);
    lim->errorSource[0] = 0;
    lim->errorLine = 0;
    lim->traceback[0] = 0;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    int saved = lim->enforceMemory;
    lim->enforceMemory = 1;
    int status = lua_pcall(L, nargs, nresults, base);
    lim->enforceMemory = saved;
    lua_remove(L, base);
    return status;
}

int luashim_load(lua_State *L, const char *source, size_t length, const char *chunkname) {
    return luaL_loadbufferx(L, source, length, chunkname, "t");
}

/* --- deterministic key order for the sandbox's pairs ------------------------------
** Sorting happens here, in C, so that it runs no Lua instructions: the instruction count
** of a script (which becomes virtual time) must not depend on Lua's per-process hash seed,
** and the number of comparisons a sort makes depends on the initial (hash) order. The
** work is charged all the same, as n * ceil(log2 n) comparisons, a figure that depends on
** n alone: pairs over a table of a million keys is not free. */
typedef struct KeyEntry {
    int rank;          /* 1 numbers, 2 strings, 3 booleans, 4 anything else */
    lua_Number number;
    const char *text;
    size_t length;
    int index;         /* position in the temporary key list */
} KeyEntry;

static int compare_keys(const void *pa, const void *pb) {
    const KeyEntry *a = (const KeyEntry *)pa, *b = (const KeyEntry *)pb;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->rank == 1 && a->number != b->number) return a->number < b->number ? -1 : 1;
    if (a->rank == 2) {
        size_t n = a->length < b->length ? a->length : b->length;
        int c = memcmp(a->text, b->text, n);
        if (c != 0) return c;
        if (a->length != b->length) return a->length < b->length ? -1 : 1;
    }
    if (a->rank == 3 && a->number != b->number) return a->number < b->number ? -1 : 1;
    return a->index < b->index ? -1 : (a->index > b->index ? 1 : 0);
}

static int sorted_keys(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_newtable(L);                               /* 2: keys in next() order */
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, 2, ++n);
    }
    KeyEntry *entries = (KeyEntry *)lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof(KeyEntry), 0);  /* 3 */
    for (int i = 1; i <= n; i++) {
        KeyEntry *e = &entries[i - 1];
        lua_rawgeti(L, 2, i);
        e->index = i;
        e->text = NULL;
        e->length = 0;
        e->number = 0;
        switch (lua_type(L, -1)) {
        case LUA_TNUMBER: e->rank = 1; e->number = lua_tonumber(L, -1); break;
        case LUA_TSTRING: e->rank = 2; e->text = lua_tolstring(L, -1, &e->length); break;
        case LUA_TBOOLEAN: e->rank = 3; e->number = lua_toboolean(L, -1); break;
        default: e->rank = 4; break;
        }
        lua_pop(L, 1);  /* the string stays alive: table 2 holds it */
    }
    luashim_charge_steps(L, luashim_sort_comparisons(n));
    qsort(entries, (size_t)n, sizeof(KeyEntry), compare_keys);
    lua_createtable(L, n, 0);                      /* 4: the result */
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, 2, entries[i].index);
        lua_rawseti(L, 4, i + 1);
    }
    return 1;
}

void luashim_push_sorted_keys(lua_State *L) { lua_pushcfunction(L, sorted_keys); }

void luashim_pop(lua_State *L, int n) { lua_pop(L, n); }
int luashim_registryindex(void) { return LUA_REGISTRYINDEX; }
int luashim_multret(void) { return LUA_MULTRET; }
void luashim_full_gc(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
size_t luashim_memory_used(lua_State *L) { return limits_of(L)->memoryUsed; }
