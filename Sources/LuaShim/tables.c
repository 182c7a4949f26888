// table.insert, table.remove, table.move and table.unpack under the instruction budget.
//
// Why not Lua's own: they shift or copy elements in a C loop inside one VM instruction, so
// the count hook never sees that work. `table.move({}, 1, 1e12, 1, {})` copied nils for hours
// with no memory to run out of, and `table.insert(t, 1, v)` on a list of a million moves a
// million elements each time. Here each element moved is a step (luashim_charge_steps),
// charged before the loop, so a call whose work would exceed the budget ends at once with
// the instruction-limit error.
//
// The behaviour is the Lua 5.4 manual's (lua_geti/lua_seti, so __index and __newindex
// apply; the same argument checks and messages). Like this sandbox's table.sort, the list
// must be a table (Lua also takes a value whose metatable supplies __index, __newindex and
// __len; scripts here have no such values).
#include "luashim.h"
#include <lua5.4/lauxlib.h>
#include <limits.h>
#include <lua5.4/lua.h>

// table.insert(list, [pos,] value)
static int bounded_insert(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer end = luaL_len(L, 1) + 1;  // where a new last element goes
    lua_Integer pos = end;
    switch (lua_gettop(L)) {
    case 2: break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        // pos in [1, end], compared unsigned so that 0 and negatives are out too.
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)end, 2, "position out of bounds");
        luashim_charge_steps(L, end - pos);
        for (lua_Integer i = end; i > pos; i--) {
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    default: return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);  // the value, still on top
    return 0;
}

// table.remove(list [, pos])
static int bounded_remove(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    // Besides 1..size, the manual allows size + 1, and 0 when the list is empty (pos == size).
    // Lua 5.4.4 (Debian's) names argument #1 in this message; so does this.
    if (pos != size) luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
    lua_geti(L, 1, pos);  // the result
    if (pos < size) luashim_charge_steps(L, size - pos);
    for (; pos < size; pos++) {
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

// table.move(a1, f, e, t [, a2])
static int bounded_move(lua_State *L) {
    lua_Integer first = luaL_checkinteger(L, 2);
    lua_Integer last = luaL_checkinteger(L, 3);
    lua_Integer to = luaL_checkinteger(L, 4);
    int destination = lua_isnoneornil(L, 5) ? 1 : 5;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, destination, LUA_TTABLE);
    if (last >= first) {
        luaL_argcheck(L, first > 0 || last < LUA_MAXINTEGER + first, 3, "too many elements to move");
        lua_Integer count = last - first + 1;
        luaL_argcheck(L, to <= LUA_MAXINTEGER - count + 1, 4, "destination wrap around");
        luashim_charge_steps(L, count);
        // Overlapping ranges of one table are copied from the end, so no element is
        // overwritten before it is read.
        int backwards = to > first && to <= last && (destination == 1 || lua_compare(L, 1, destination, LUA_OPEQ));
        for (lua_Integer i = 0; i < count; i++) {
            lua_Integer k = backwards ? count - 1 - i : i;
            lua_geti(L, 1, first + k);
            lua_seti(L, destination, to + k);
        }
    }
    lua_pushvalue(L, destination);
    return 1;
}

// table.unpack(list [, i [, j]]): up to a million values (Lua's stack) in one instruction.
static int bounded_unpack(lua_State *L) {
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer last = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
    if (i > last) return 0;
    lua_Unsigned extra = (lua_Unsigned)last - (lua_Unsigned)i;  // values minus one, without overflow
    if (extra >= (lua_Unsigned)INT_MAX || !lua_checkstack(L, (int)(extra + 1))) {
        return luaL_error(L, "too many results to unpack");
    }
    int count = (int)(extra + 1);
    luashim_charge_steps(L, count);
    for (int k = 0; k < count; k++) lua_geti(L, 1, i + k);
    return count;
}

void luashim_install_bounded_tables(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"insert", bounded_insert}, {"remove", bounded_remove}, {"move", bounded_move}, {"unpack", bounded_unpack},
        {NULL, NULL},
    };
    lua_getglobal(L, "table");
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 1);
}
