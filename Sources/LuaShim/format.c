// tostring and string.format without snprintf for the common cases.
//
// Why: Lua hands every conversion to the C library, and glibc's printf takes about 1,000
// instructions for a "%d" and 3,500 for a float's "%.14g" (its multi-precision path). The
// workshop's handlers turn a few numbers into text for every message (`tostring(price)`,
// "%d.%02d" for cents, "%08x" for ids), and that was 6 % of a run. The results are the
// same bytes as Lua's: a float is written here only when a decimal of at most 14
// significant digits reads back as exactly that float, which is then the one "%.14g"
// prints (see float_text); everything else goes to Lua's own functions.
#include "luashim.h"
#include <lua5.4/lauxlib.h>
#include <lua5.4/lua.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const double powers_of_ten[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
};

// Writes the decimal digits of `value` backwards from `end`; returns where they start.
static char *digits_before(char *end, unsigned long long value, unsigned base, int upper) {
    const char *symbols = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        *--end = symbols[value % base];
        value /= base;
    } while (value != 0);
    return end;
}

// Writes n / 10^digits with exactly `digits` fraction digits (none: no point), after a '-'
// when `negative`, into `out` (at least 48 bytes); returns the length.
static size_t decimal_text(unsigned long long n, int digits, int negative, char *out) {
    unsigned long long unit = (unsigned long long)powers_of_ten[digits];
    char buffer[48];
    char *end = buffer + sizeof buffer;
    char *p = end;
    if (digits > 0) {
        char *fraction = digits_before(end, n % unit, 10, 0);
        while (end - fraction < digits) *--fraction = '0';
        p = fraction;
        *--p = '.';
    }
    p = digits_before(p, n / unit, 10, 0);
    if (negative) *--p = '-';
    size_t length = (size_t)(end - p);
    memcpy(out, p, length);
    return length;
}

// Lua's text for a float ("%.14g", then ".0" if it looks like an integer) into `out`
// (at least 48 bytes), or 0 when this cannot be sure of it.
//
// If a decimal D with at most 14 significant digits reads back as v, D is what "%.14g"
// prints: D is within half an ulp of v (at most 2.2e-16 of v), and the 14-digit decimals
// around v are at least 1e-14 of v apart, so D is the one nearest to v. r / 10^k is the
// double nearest to r·10^-k (r and 10^k are exact, and division rounds correctly), which
// is what reading D gives. Magnitudes outside [1e-4, 1e14) print with an exponent: Lua's.
static size_t float_text(double v, char *out) {
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e14)) return 0;  // also zero, NaN and infinities
    for (int k = 0; k <= 18; k++) {
        double scaled = a * powers_of_ten[k];
        if (scaled >= 1e14) return 0;  // more than 14 significant digits
        double r = nearbyint(scaled);
        if (r / powers_of_ten[k] != a) continue;
        size_t length = decimal_text((unsigned long long)r, k, v < 0, out);
        if (k == 0) {
            memcpy(out + length, ".0", 2);
            length += 2;
        }
        return length;
    }
    return 0;
}

// "%.Nf" of v (N at most 9) into `out` (at least 48 bytes), or 0 when this cannot be sure.
//
// v·10^N as a double is within half an ulp of the exact product, so rounding it gives the
// exact product's rounding unless the product is within two ulps of a half (a tie, which
// printf breaks to even, or too close to tell): those, and magnitudes past 2^53, go to Lua.
static size_t fixed_text(double v, int precision, char *out) {
    double scaled = fabs(v) * powers_of_ten[precision];
    if (!(scaled < 9007199254740992.0)) return 0;  // 2^53, where doubles stop being exact integers; also NaN and infinities
    double whole = floor(scaled);
    double ulp = nextafter(scaled, INFINITY) - scaled;
    if (fabs(scaled - whole - 0.5) <= 2 * ulp) return 0;
    unsigned long long n = (unsigned long long)(scaled - whole > 0.5 ? whole + 1 : whole);
    // printf keeps the sign of a negative that rounds to zero.
    return decimal_text(n, precision, signbit(v) != 0, out);
}

// float_text of the value at `index` if it is a float, else 0.
static size_t float_text_of(lua_State *L, int index, char *out) {
    if (lua_type(L, index) != LUA_TNUMBER || lua_isinteger(L, index)) return 0;
    return float_text(lua_tonumber(L, index), out);
}

// tostring(v): as Lua's, with floats through float_text.
// Objects (tables, functions, coroutines, userdata) are named by the order this state first
// named them, not by their address: Lua's "table: 0x55…" and "%p" print an address, which
// differs from process to process, so a log line or a report that showed one did too. The
// numbers are kept in a weak-keyed table in the registry, the count at key 0.
static lua_Integer object_id(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "labengine.objectids") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 4);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "labengine.objectids");
    }
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
        lua_Integer id = lua_tointeger(L, -1);
        lua_pop(L, 2);
        return id;
    }
    lua_pop(L, 1);
    lua_rawgeti(L, -1, 0);
    lua_Integer id = lua_tointeger(L, -1) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, id);
    lua_rawseti(L, -2, 0);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, id);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return id;
}

// An object's name as "%p" writes it here: its number, in the shape of an address.
static size_t object_text(lua_State *L, int idx, char *out, size_t size) {
    int n = snprintf(out, size, "0x%08llx", (unsigned long long)object_id(L, idx));
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

// luaL_tolstring, but an object without __tostring is named by object_id.
static const char *labengine_tolstring(lua_State *L, int idx, size_t *length) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TTABLE: case LUA_TFUNCTION: case LUA_TTHREAD: case LUA_TUSERDATA: case LUA_TLIGHTUSERDATA: {
        if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
            lua_pop(L, 1);
            break;
        }
        int named = luaL_getmetafield(L, idx, "__name");
        const char *kind = named == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, idx);
        char id[32];
        object_text(L, idx, id, sizeof id);
        lua_pushfstring(L, "%s: %s", kind, id);
        if (named != LUA_TNIL) lua_remove(L, -2);
        return lua_tolstring(L, -1, length);
    }
    default: break;
    }
    return luaL_tolstring(L, idx, length);
}

static int fast_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    char text[48];
    size_t length = float_text_of(L, 1, text);
    if (length > 0) {
        lua_pushlstring(L, text, length);
    } else {
        labengine_tolstring(L, 1, NULL);
    }
    return 1;
}

// One conversion: flags '-' and '0', a width of at most two digits, and for %f a precision.
typedef struct {
    int left, zero, width;
    int precision;  // -1: none given
    char conversion;
} Spec;

// Reads a conversion after its '%'; false if it is not one this file writes.
static int read_spec(const char **at, const char *end, Spec *spec) {
    const char *p = *at;
    spec->left = spec->zero = spec->width = 0;
    spec->precision = -1;
    int flags = 0;
    while (p < end && (*p == '-' || *p == '0')) {
        if (*p == '-') spec->left = 1; else spec->zero = 1;
        p++;
        if (++flags > 2) return 0;  // Lua's versions differ on repeated flags
    }
    if (p < end && *p >= '1' && *p <= '9') {
        spec->width = *p++ - '0';
        if (p < end && *p >= '0' && *p <= '9') spec->width = spec->width * 10 + (*p++ - '0');
    }
    if (p < end && *p == '.') {
        p++;
        spec->precision = 0;
        if (p < end && *p >= '0' && *p <= '9') spec->precision = *p++ - '0';
        if (p < end && *p >= '0' && *p <= '9') return 0;  // beyond what fixed_text writes
    }
    if (p >= end) return 0;
    spec->conversion = *p++;
    *at = p;
    switch (spec->conversion) {
    case 'd': case 'i': case 'x': case 'X': return spec->precision < 0;
    case 's': return !spec->zero && spec->precision < 0;  // Lua refuses "%0s"
    case 'p': return !spec->zero && spec->precision < 0;  // as Lua's checks it: '-' and a width
    case 'f': return 1;
    default: return 0;
    }
}

// Adds `text` padded to the spec's width ('0' pads after the sign, as printf does).
static void add_padded(luaL_Buffer *b, const Spec *spec, const char *text, size_t length) {
    size_t pad = spec->width > (int)length ? (size_t)spec->width - length : 0;
    if (spec->left) {
        luaL_addlstring(b, text, length);
        for (size_t i = 0; i < pad; i++) luaL_addchar(b, ' ');
        return;
    }
    if (spec->zero && spec->conversion != 's') {
        if (length > 0 && *text == '-') {
            luaL_addchar(b, '-');
            text++;
            length--;
        }
        for (size_t i = 0; i < pad; i++) luaL_addchar(b, '0');
    } else {
        for (size_t i = 0; i < pad; i++) luaL_addchar(b, ' ');
    }
    luaL_addlstring(b, text, length);
}

// The errors Lua 5.4's string.format raises itself (and luaL_tolstring for it); any other
// comes from a __tostring it called, or from a limit, and is already what it should be.
static int is_format_error(const char *message) {
    static const char *const own[] = {
        "bad argument #", "invalid ", "specifier '", "'__tostring' must return a string", NULL,
    };
    for (const char *const *prefix = own; *prefix != NULL; prefix++) {
        if (strncmp(message, *prefix, strlen(*prefix)) == 0) return 1;
    }
    return 0;
}

// string.format: formats made only of %d, %i, %x, %X, %s (with '-', '0' and a width) and
// %f (also with a one-digit precision) are written here; any other goes whole to Lua's
// own, this closure's upvalue.
static int fast_format(lua_State *L) {
    size_t format_length;
    const char *format = luaL_checklstring(L, 1, &format_length);
    const char *end = format + format_length;
    // Chosen before anything is written: a `%s` runs its value's __tostring, so a format
    // handed to Lua's own half-way through would run that metamethod twice.
    for (const char *p = format; p < end; p++) {
        if (*p != '%') continue;
        if (p + 1 < end && p[1] == '%') {
            p++;
            continue;
        }
        Spec spec;
        const char *at = p + 1;
        if (!read_spec(&at, end, &spec)) goto delegate;
        p = at - 1;
    }
    int top = lua_gettop(L);
    int argument = 1;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (const char *p = format; p < end;) {
        if (*p != '%') {
            const char *next = memchr(p, '%', (size_t)(end - p));
            if (next == NULL) next = end;
            luaL_addlstring(&b, p, (size_t)(next - p));
            p = next;
            continue;
        }
        if (p[1] == '%') {
            luaL_addchar(&b, '%');
            p += 2;
            continue;
        }
        Spec spec;
        p++;
        read_spec(&p, end, &spec);
        if (++argument > top) return luaL_argerror(L, argument, "no value");
        char text[48];
        char *text_end = text + sizeof text;
        switch (spec.conversion) {
        case 'd': case 'i': {
            lua_Integer n = luaL_checkinteger(L, argument);
            unsigned long long magnitude = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
            char *start = digits_before(text_end, magnitude, 10, 0);
            if (n < 0) *--start = '-';
            add_padded(&b, &spec, start, (size_t)(text_end - start));
            break;
        }
        case 'x': case 'X': {
            lua_Integer n = luaL_checkinteger(L, argument);
            char *start = digits_before(text_end, (unsigned long long)n, 16, spec.conversion == 'X');
            add_padded(&b, &spec, start, (size_t)(text_end - start));
            break;
        }
        case 'f': {
            lua_Number v = luaL_checknumber(L, argument);
            size_t length = fixed_text(v, spec.precision < 0 ? 6 : spec.precision, text);
            if (length == 0) {
                // Lua's own would print it; a short format of just this conversion does.
                char form[16];
                int n = snprintf(form, sizeof form, "%%%s%s%d.%df", spec.left ? "-" : "", spec.zero ? "0" : "",
                    spec.width, spec.precision < 0 ? 6 : spec.precision);
                char wide[512];
                int written = snprintf(wide, sizeof wide, form, (double)v);
                if (n <= 0 || written < 0 || written >= (int)sizeof wide) return luaL_error(L, "invalid conversion to 'format'");
                luaL_addlstring(&b, wide, (size_t)written);
                break;
            }
            add_padded(&b, &spec, text, length);
            break;
        }
        case 'p': {
            // Lua writes "(null)" for a value that is no object (a number, nil, a boolean).
            if (lua_topointer(L, argument) == NULL) {
                add_padded(&b, &spec, "(null)", 6);
                break;
            }
            size_t length = object_text(L, argument, text, sizeof text);
            add_padded(&b, &spec, text, length);
            break;
        }
        default: {  // 's'
            size_t length = float_text_of(L, argument, text);
            if (length > 0) {
                add_padded(&b, &spec, text, length);
                break;
            }
            const char *s = labengine_tolstring(L, argument, &length);  // on top now, above the buffer
            if ((spec.left || spec.width > 0) && strlen(s) != length) {
                return luaL_argerror(L, argument, "string contains zeros");
            }
            if ((size_t)spec.width <= length) {
                luaL_addvalue(&b);
            } else {
                char copy[100];  // shorter than the width, which has at most two digits
                memcpy(copy, s, length);
                lua_pop(L, 1);
                add_padded(&b, &spec, copy, length);
            }
            break;
        }
        }
    }
    luaL_pushresult(&b);
    return 1;

delegate:
    return luashim_delegate(L, is_format_error);
}

void luashim_install_fast_format(lua_State *L) {
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "format");
    lua_pushcclosure(L, fast_format, 1);
    lua_setfield(L, -2, "format");
    lua_pop(L, 1);
    lua_pushcfunction(L, fast_tostring);
    lua_setglobal(L, "tostring");
}
