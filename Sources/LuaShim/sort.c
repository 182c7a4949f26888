// table.sort under the instruction budget, the same in every run.
//
// Why not Lua's own: its quicksort runs inside one VM instruction, so the count hook never
// sees the comparisons it makes without a comparator (n log n of them, with n bounded only
// by the memory cap), and on unbalanced partitions it picks pivots from clock() and time()
// (ltablib.c, l_randomizePivot), so how often a comparator is called, and with it the
// instruction count that becomes virtual time, could differ between two runs of one script.
//
// This is a heapsort: O(n log n) comparisons whatever the input, no randomness, no memory
// beyond the Lua stack. Like Lua's, it is not stable, reads and writes the list with
// lua_geti/lua_seti (so __index and __newindex apply), and raises what the comparator or a
// comparison raises. An order function that is not a strict order yields some permutation of
// the list rather than "invalid order function for sorting".
#include "luashim.h"
#include <lua5.4/lauxlib.h>
#include <limits.h>
#include <lua5.4/lua.h>

#define CHARGE_EVERY 1024

long long luashim_sort_comparisons(long long n) {
    long long log2 = 0;
    while ((1LL << log2) < n) log2++;
    return n * log2;
}

typedef struct {
    lua_State *L;
    int has_comparator;
    long long comparisons;
} Sorter;

// Whether the value at stack index a sorts before the one at b (both absolute).
static int less_than(Sorter *s, int a, int b) {
    lua_State *L = s->L;
    // Counted as they happen, a chunk at a time past the free ones.
    if (++s->comparisons > LUASHIM_FREE_STEPS && s->comparisons % CHARGE_EVERY == 0) {
        luashim_charge(L, (long long)CHARGE_EVERY * LUASHIM_INSTRUCTIONS_PER_STEP);
    }
    if (!s->has_comparator) return lua_compare(L, a, b, LUA_OPLT);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, a);
    lua_pushvalue(L, b);
    lua_call(L, 2, 1);
    int result = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return result;
}

// Restores the heap property below `root` in the heap of the first `n` elements
// (0-based heap positions; list element i + 1).
static void sift_down(Sorter *s, lua_Integer root, lua_Integer n) {
    lua_State *L = s->L;
    for (;;) {
        lua_Integer child = 2 * root + 1;
        if (child >= n) return;
        lua_geti(L, 1, child + 1);
        if (child + 1 < n) {
            lua_geti(L, 1, child + 2);
            int top = lua_gettop(L);
            if (less_than(s, top - 1, top)) {
                child++;
                lua_remove(L, -2);
            } else {
                lua_pop(L, 1);
            }
        }
        lua_geti(L, 1, root + 1);
        int top = lua_gettop(L);
        if (!less_than(s, top, top - 1)) {
            lua_pop(L, 2);
            return;
        }
        lua_seti(L, 1, child + 1);  // the root's value moves down
        lua_seti(L, 1, root + 1);   // the larger child's moves up
        root = child;
    }
}

static int bounded_sort(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 1);
    if (n <= 1) return 0;
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    int has_comparator = !lua_isnoneornil(L, 2);
    if (has_comparator) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    luaL_checkstack(L, 8, "too many elements to sort");
    Sorter s = {L, has_comparator, 0};
    for (lua_Integer i = n / 2 - 1; i >= 0; i--) sift_down(&s, i, n);
    for (lua_Integer end = n - 1; end > 0; end--) {
        lua_geti(L, 1, 1);
        lua_geti(L, 1, end + 1);
        lua_seti(L, 1, 1);
        lua_seti(L, 1, end + 1);
        sift_down(&s, 0, end);
    }
    return 0;
}

void luashim_install_bounded_sort(lua_State *L) {
    lua_getglobal(L, "table");
    lua_pushcfunction(L, bounded_sort);
    lua_setfield(L, -2, "sort");
    lua_pop(L, 1);
}
