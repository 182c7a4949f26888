#include "luashim.h"
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

static LuaShimHostDispatch host_dispatch = NULL;

static LuaShimLimits *limits_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (LuaShimLimits *)ud;
}

// Refuses growth past the cap while Lua code runs; Lua turns NULL into a memory error.
// Shrinking never fails, as Lua requires.
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    LuaShimLimits *lim = (LuaShimLimits *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        lim->memoryUsed -= old;
        return NULL;
    }
    if (nsize > old && lim->enforceMemory && lim->memoryLimit > 0 &&
        lim->memoryUsed - old + nsize > lim->memoryLimit) {
        lim->memoryExceeded = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    lim->memoryUsed = lim->memoryUsed - old + nsize;
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
    if (L != NULL) lua_atpanic(L, panic_handler);
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
}

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
            luaL_where(L, 1);
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

void luashim_arm_limits(lua_State *L) {
    LuaShimLimits *lim = limits_of(L);
    lim->instructionsUsed = 0;
    lim->instructionExceeded = 0;
    lim->memoryExceeded = 0;
    if (lim->hookInterval <= 0) lim->hookInterval = 1000;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, lim->hookInterval);
}

// Records where the error happened (the innermost Lua frame) and a traceback in the
// registry, and leaves the error value itself untouched.
static int message_handler(lua_State *L) {
    LuaShimLimits *lim = limits_of(L);
    int saved = lim->enforceMemory;
    lim->enforceMemory = 0;
    lua_Debug ar;
    int level;
    for (level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pushstring(L, ar.source);
            lua_setfield(L, LUA_REGISTRYINDEX, "labengine.error.source");
            lua_pushinteger(L, ar.currentline);
            lua_setfield(L, LUA_REGISTRYINDEX, "labengine.error.line");
            break;
        }
    }
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    luaL_traceback(L, L, msg, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "labengine.error.traceback");
    lim->enforceMemory = saved;
    lua_settop(L, 1);
    return 1;
}

int luashim_pcall(lua_State *L, int nargs, int nresults) {
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "labengine.error.source");
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "labengine.error.line");
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    LuaShimLimits *lim = limits_of(L);
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

void luashim_pop(lua_State *L, int n) { lua_pop(L, n); }
int luashim_registryindex(void) { return LUA_REGISTRYINDEX; }
int luashim_multret(void) { return LUA_MULTRET; }
void luashim_full_gc(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
size_t luashim_memory_used(lua_State *L) { return limits_of(L)->memoryUsed; }
