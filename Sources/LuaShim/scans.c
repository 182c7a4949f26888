// string.byte, utf8.len, utf8.codepoint, utf8.offset and load under the instruction budget.
//
// Why: each does work proportional to a string inside one VM instruction, with no memory
// to run out of. `utf8.len` of a 50 MB string took 190 ms of host time, so a loop of them
// could hold the engine for hours on a budget of 20 million instructions; `string.byte(s,
// 1, -1)` pushes up to a million values each time. Here a string.byte call costs two
// instructions a value past its first 4,096 (as table.unpack), and utf8.len one a 4 bytes
// past 64 KB (its decoding runs at about 4 ns a byte, a VM instruction at 20). The results
// and messages are Lua 5.4's: string.byte is written here from the manual; the utf8
// functions charge and then hand the call to Lua's own (luashim_delegate), and utf8.len
// checks its arguments first, so its charge never precedes Lua's own complaint.
// utf8.codepoint is charged as string.byte, and utf8.offset, which may walk the whole string,
// as utf8.len's decoding of all of it.
#include "luashim.h"
#include <lua5.4/lauxlib.h>
#include <limits.h>
#include <lua5.4/lua.h>

#define BYTES_PER_DECODE_INSTRUCTION 4

// A string position as the manual reads it: negative counts from the end; the start of a
// range is at least 1, its end at most the length.
static size_t range_start(lua_Integer position, size_t length) {
    if (position > 0) return (size_t)position;
    if (position == 0 || position < -(lua_Integer)length) return 1;
    return length + (size_t)position + 1;
}

static size_t range_end(lua_Integer position, size_t length) {
    if (position > (lua_Integer)length) return length;
    if (position >= 0) return (size_t)position;
    if (position < -(lua_Integer)length) return 0;
    return length + (size_t)position + 1;
}

// string.byte(s [, i [, j]])
static int bounded_byte(lua_State *L) {
    size_t length;
    const char *s = luaL_checklstring(L, 1, &length);
    lua_Integer i = luaL_optinteger(L, 2, 1);
    size_t first = range_start(i, length);
    size_t last = range_end(luaL_optinteger(L, 3, i), length);
    if (first > last) return 0;
    if (last - first >= (size_t)INT_MAX) return luaL_error(L, "string slice too long");
    int count = (int)(last - first) + 1;
    luaL_checkstack(L, count, "string slice too long");
    luashim_charge_steps(L, count);
    for (int k = 0; k < count; k++) lua_pushinteger(L, (unsigned char)s[first - 1 + (size_t)k]);
    return count;
}

// A utf8 position: negative counts from the end, and none is below 0.
static lua_Integer utf8_position(lua_Integer position, size_t length) {
    if (position >= 0) return position;
    if (0u - (size_t)position > length) return 0;
    return (lua_Integer)length + position + 1;
}

// utf8.len(s [, i [, j [, lax]]]): Lua's, after the checks Lua makes and the charge.
static int bounded_utf8_len(lua_State *L) {
    size_t length;
    luaL_checklstring(L, 1, &length);
    lua_Integer first = utf8_position(luaL_optinteger(L, 2, 1), length);
    lua_Integer last = utf8_position(luaL_optinteger(L, 3, -1), length);
    luaL_argcheck(L, 1 <= first && first - 1 <= (lua_Integer)length, 2, "initial position out of bounds");
    luaL_argcheck(L, last - 1 < (lua_Integer)length, 3, "final position out of bounds");
    lua_Integer bytes = last - first + 1;
    if (bytes > 0) luashim_charge_bytes(L, (size_t)bytes, BYTES_PER_DECODE_INSTRUCTION);
    return luashim_delegate(L, NULL);
}

// utf8.codepoint(s [, i [, j [, lax]]]): decodes and pushes up to j - i + 1 values.
static int bounded_utf8_codepoint(lua_State *L) {
    size_t length;
    luaL_checklstring(L, 1, &length);
    lua_Integer first = utf8_position(luaL_optinteger(L, 2, 1), length);
    lua_Integer last = utf8_position(luaL_optinteger(L, 3, first), length);
    if (first >= 1 && last <= (lua_Integer)length) luashim_charge_steps(L, last - first + 1);
    return luashim_delegate(L, NULL);
}

// utf8.offset(s, n [, i]): walks up to the whole string, charged as utf8.len's decoding.
static int bounded_utf8_offset(lua_State *L) {
    size_t length;
    luaL_checklstring(L, 1, &length);
    luashim_charge_bytes(L, length, BYTES_PER_DECODE_INSTRUCTION);
    return luashim_delegate(L, NULL);
}

// load(chunk, ...): compiling happens inside one instruction at about 40 ns a byte of
// source (ten loads of a 6 MB chunk took 2.6 s of host time and were charged 42 ms, for
// their large blocks only), so a string chunk past 64 KB costs one instruction a byte.
// A chunk given as a reader function arrives in pieces that its own Lua code builds.
static int bounded_load(lua_State *L) {
    size_t length = 0;
    if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &length);
    luashim_charge_bytes(L, length, 1);
    return luashim_delegate(L, NULL);
}

void luashim_install_bounded_scans(lua_State *L) {
    lua_getglobal(L, "load");
    lua_pushcclosure(L, bounded_load, 1);
    lua_setglobal(L, "load");
    lua_getglobal(L, "string");
    lua_pushcfunction(L, bounded_byte);
    lua_setfield(L, -2, "byte");
    lua_pop(L, 1);
    static const luaL_Reg utf8_functions[] = {
        {"len", bounded_utf8_len}, {"codepoint", bounded_utf8_codepoint}, {"offset", bounded_utf8_offset}, {NULL, NULL},
    };
    lua_getglobal(L, "utf8");
    for (const luaL_Reg *f = utf8_functions; f->name != NULL; f++) {
        lua_getfield(L, -1, f->name);  // Lua's own, the upvalue
        lua_pushcclosure(L, f->func, 1);
        lua_setfield(L, -2, f->name);
    }
    lua_pop(L, 1);
}
