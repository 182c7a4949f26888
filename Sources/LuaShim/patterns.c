// string.find, string.match, string.gmatch and string.gsub with Lua 5.4's pattern language
// (the reference manual, section 6.4.1), matched under the state's instruction budget.
//
// Why not Debian's own: its matcher runs inside one VM instruction, so the count hook never
// sees it, and a pattern such as ".-.-.-b" on a long subject backtracks for hours. This
// matcher counts its steps against the same budget as the VM (a step costs two
// instructions, and a call's first FREE_STEPS are free, so ordinary matches cost what they
// did) and raises the instruction-limit error when it runs out: a handler's timeout, a
// check's budget.
#define _GNU_SOURCE
#include "luashim.h"
#include <ctype.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lua.h>
#include <string.h>

#define ESCAPE '%'
#define SPECIALS "^$*+?.([%-"
#define MAX_CAPTURES 32
#define MAX_DEPTH 200
#define CAPTURE_OPEN (-1)
#define CAPTURE_POSITION (-2)
#define FREE_STEPS 4096
#define CHARGE_EVERY 1024
// Measured: a backtracking step costs the host about what two VM instructions do.
#define INSTRUCTIONS_PER_STEP 2

typedef struct {
    const char *subject;      // the whole subject (position captures count from here)
    const char *subject_end;
    const char *pattern_end;
    lua_State *L;
    int depth;
    int level;                // captures opened so far
    struct {
        const char *start;
        ptrdiff_t length;     // CAPTURE_OPEN, CAPTURE_POSITION or a length
    } capture[MAX_CAPTURES];
    long long steps;
    long long next_charge;
} Matcher;

static void charge(Matcher *m) {
    m->next_charge += CHARGE_EVERY;
    if (m->steps <= FREE_STEPS) return;
    luashim_charge(m->L, CHARGE_EVERY * INSTRUCTIONS_PER_STEP);
}

static inline void step(Matcher *m) {
    if (++m->steps >= m->next_charge) charge(m);
}

static void start_matcher(Matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
    m->steps = 0;
    m->next_charge = CHARGE_EVERY;
    luashim_charge(L, 0);  // a state already over its budget matches nothing more
}

// A '^' that starts the pattern anchors the match at its start position (find, match, gsub).
static int skip_anchor(Matcher *m, const char **p) {
    if (*p == m->pattern_end || **p != '^') return 0;
    (*p)++;
    return 1;
}

static void restart(Matcher *m) {
    m->level = 0;
    m->depth = 0;
}

static int is_class(int c, int cl) {
    int yes;
    switch (tolower(cl)) {
    case 'a': yes = isalpha(c); break;
    case 'c': yes = iscntrl(c); break;
    case 'd': yes = isdigit(c); break;
    case 'g': yes = isgraph(c); break;
    case 'l': yes = islower(c); break;
    case 'p': yes = ispunct(c); break;
    case 's': yes = isspace(c); break;
    case 'u': yes = isupper(c); break;
    case 'w': yes = isalnum(c); break;
    case 'x': yes = isxdigit(c); break;
    case 'z': yes = c == 0; break;  // deprecated in Lua 5.2, still accepted by 5.4
    default: return cl == c;  // %x for a non-alphanumeric x is x itself
    }
    return isupper(cl) ? !yes : yes;
}

// The end of the single-character class that starts at p: one character, %x, or [set].
static const char *class_end(Matcher *m, const char *p) {
    char c = *p++;
    if (c == ESCAPE) {
        if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (p < m->pattern_end && *p == '^') p++;
        // The set's first character belongs to it even when it is ']'.
        for (;;) {
            if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
            c = *p++;
            if (c == ESCAPE) {
                if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
                p++;
            }
            if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
            if (*p == ']') return p + 1;
        }
    }
    return p;
}

// Whether c is in the set from '[' at p to its closing ']' at last.
static int in_set(int c, const char *p, const char *last) {
    int negate = 0;
    p++;
    if (*p == '^') {
        negate = 1;
        p++;
    }
    while (p < last) {
        if (*p == ESCAPE) {
            p++;
            if (is_class(c, (unsigned char)*p)) return !negate;
            p++;
        } else if (p + 2 < last && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return !negate;
            p += 3;
        } else {
            if ((unsigned char)*p == c) return !negate;
            p++;
        }
    }
    return negate;
}

static int matches_one(Matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case ESCAPE: return is_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static const char *match(Matcher *m, const char *s, const char *p);

static const char *longest(Matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t count = 0;
    while (matches_one(m, s + count, p, ep)) {
        count++;
        step(m);
    }
    for (; count >= 0; count--) {
        const char *end = match(m, s + count, ep + 1);
        if (end) return end;
    }
    return NULL;
}

static const char *shortest(Matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *end = match(m, s, ep + 1);
        if (end) return end;
        if (!matches_one(m, s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(Matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    if (m->level >= MAX_CAPTURES) luaL_error(m->L, "too many captures");
    m->capture[m->level].start = s;
    m->capture[m->level].length = kind;
    m->level++;
    const char *end = match(m, s, p);
    if (!end) m->level--;
    return end;
}

static const char *close_capture(Matcher *m, const char *s, const char *p) {
    int open = m->level - 1;
    while (open >= 0 && m->capture[open].length != CAPTURE_OPEN) open--;
    if (open < 0) luaL_error(m->L, "invalid pattern capture");
    m->capture[open].length = s - m->capture[open].start;
    const char *end = match(m, s, p);
    if (!end) m->capture[open].length = CAPTURE_OPEN;
    return end;
}

static const char *same_as_capture(Matcher *m, const char *s, int digit) {
    int index = digit - '1';
    if (index < 0 || index >= m->level || m->capture[index].length == CAPTURE_OPEN) {
        luaL_error(m->L, "invalid capture index %%%d", index + 1);
    }
    size_t length = (size_t)m->capture[index].length;
    if ((size_t)(m->subject_end - s) >= length && memcmp(m->capture[index].start, s, length) == 0) return s + length;
    return NULL;
}

static const char *balanced(Matcher *m, const char *s, const char *p) {
    if (p + 1 >= m->pattern_end) luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m->subject_end || *s != *p) return NULL;
    char open = p[0], close = p[1];
    int depth = 1;
    while (++s < m->subject_end) {
        step(m);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            depth++;
        }
    }
    return NULL;
}

// Where the pattern from p matches at s ends, or NULL. Backtracks by recursion, as deep as
// MAX_DEPTH, every attempt counted.
static const char *match(Matcher *m, const char *s, const char *p) {
    if (++m->depth > MAX_DEPTH) luaL_error(m->L, "pattern too complex");
    step(m);
    while (p != m->pattern_end && s != NULL) {
        if (*p == '(') {
            if (p + 1 < m->pattern_end && p[1] == ')') s = open_capture(m, s, p + 2, CAPTURE_POSITION);
            else s = open_capture(m, s, p + 1, CAPTURE_OPEN);
            break;
        }
        if (*p == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pattern_end) {
            if (s != m->subject_end) s = NULL;
            break;
        }
        if (*p == ESCAPE && p + 1 < m->pattern_end) {
            char next = p[1];
            if (next == 'b') {
                s = balanced(m, s, p + 2);
                if (s) p += 4;
                continue;
            }
            if (next == 'f') {
                p += 2;
                if (p >= m->pattern_end || *p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
                const char *ep = class_end(m, p);
                int before = s == m->subject ? '\0' : (unsigned char)s[-1];
                int here = s < m->subject_end ? (unsigned char)*s : '\0';
                if (!in_set(before, p, ep - 1) && in_set(here, p, ep - 1)) p = ep;
                else s = NULL;
                continue;
            }
            if (isdigit((unsigned char)next)) {
                s = same_as_capture(m, s, (unsigned char)next);
                if (s) p += 2;
                continue;
            }
        }
        const char *ep = class_end(m, p);
        int one = matches_one(m, s, p, ep);
        char suffix = ep < m->pattern_end ? *ep : '\0';
        if (suffix == '?') {
            const char *end;
            if (one && (end = match(m, s + 1, ep + 1)) != NULL) {
                s = end;
                break;
            }
            p = ep + 1;
        } else if (suffix == '+') {
            s = one ? longest(m, s + 1, p, ep) : NULL;
            break;
        } else if (suffix == '*') {
            s = longest(m, s, p, ep);
            break;
        } else if (suffix == '-') {
            s = shortest(m, s, p, ep);
            break;
        } else {
            if (!one) s = NULL;
            else {
                s++;
                p = ep;
            }
        }
    }
    m->depth--;
    return s;
}

static void push_capture(Matcher *m, int i, const char *s, const char *e) {
    if (i >= m->level) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(m->L, s, (size_t)(e - s));  // no captures: the whole match
        return;
    }
    ptrdiff_t length = m->capture[i].length;
    if (length == CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    if (length == CAPTURE_POSITION) lua_pushinteger(m->L, (lua_Integer)(m->capture[i].start - m->subject) + 1);
    else lua_pushlstring(m->L, m->capture[i].start, (size_t)length);
}

// The captures (or the whole match when there are none and s is given); their count.
static int push_captures(Matcher *m, const char *s, const char *e) {
    int count = (m->level == 0 && s) ? 1 : m->level;
    luaL_checkstack(m->L, count, "too many captures");
    for (int i = 0; i < count; i++) push_capture(m, i, s, e);
    return count;
}

// A 1-based, possibly negative start position, as a 0-based offset (may exceed length).
static size_t start_offset(lua_Integer position, size_t length) {
    if (position > 0) return (size_t)position - 1;
    if (position == 0) return 0;
    if (position < -(lua_Integer)length) return 0;
    return length - (size_t)(-position);
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        if (p[i] != '\0' && strchr(SPECIALS, p[i])) return 1;
    }
    return 0;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        // A plain search: glibc's memmem is linear in the subject, and that scan is charged
        // (searching a 100 MB string in a loop held the engine with no instruction counted).
        luashim_charge_bytes(L, ls - init, 32);
        const char *found = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp);
        if (found) {
            lua_pushinteger(L, (lua_Integer)(found - s) + 1);
            lua_pushinteger(L, (lua_Integer)(found - s + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    Matcher m;
    start_matcher(&m, L, s, ls, p, lp);
    int anchored = skip_anchor(&m, &p);
    const char *at = s + init;
    do {
        restart(&m);
        const char *end = match(&m, at, p);
        if (end) {
            if (find) {
                lua_pushinteger(L, (lua_Integer)(at - s) + 1);
                lua_pushinteger(L, (lua_Integer)(end - s));
                return push_captures(&m, NULL, NULL) + 2;
            }
            return push_captures(&m, at, end);
        }
        step(&m);
    } while (at++ < m.subject_end && !anchored);
    luaL_pushfail(L);
    return 1;
}

static int bounded_find(lua_State *L) { return find_or_match(L, 1); }
static int bounded_match(lua_State *L) { return find_or_match(L, 0); }

typedef struct {
    const char *at;           // into the subject, which the iterator keeps as an upvalue
    const char *last_match;
} GmatchState;

static int gmatch_next(lua_State *L) {
    size_t ls, lp;
    const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
    GmatchState *state = (GmatchState *)lua_touserdata(L, lua_upvalueindex(3));
    Matcher m;
    start_matcher(&m, L, s, ls, p, lp);
    for (const char *at = state->at; at <= m.subject_end; at++) {
        restart(&m);
        const char *end = match(&m, at, p);
        if (end != NULL && end != state->last_match) {
            state->at = state->last_match = end;
            return push_captures(&m, at, end);
        }
        step(&m);
    }
    state->at = m.subject_end + 1;
    return 0;
}

static int bounded_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) init = ls + 1;  // nothing to match
    lua_settop(L, 2);
    GmatchState *state = (GmatchState *)lua_newuserdatauv(L, sizeof(GmatchState), 0);
    state->at = s + init;
    state->last_match = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

static void add_replacement_text(Matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    lua_State *L = m->L;
    size_t length;
    const char *text = lua_tolstring(L, 3, &length);
    const char *escape;
    while ((escape = memchr(text, ESCAPE, length)) != NULL) {
        luaL_addlstring(b, text, (size_t)(escape - text));
        escape++;
        if (escape == text + length) luaL_error(L, "invalid use of '%c' in replacement string", ESCAPE);
        if (*escape == ESCAPE) {
            luaL_addchar(b, ESCAPE);
        } else if (*escape == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*escape)) {
            push_capture(m, *escape - '1', s, e);
            luaL_tolstring(L, -1, NULL);
            lua_remove(L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", ESCAPE);
        }
        length -= (size_t)(escape + 1 - text);
        text = escape + 1;
    }
    luaL_addlstring(b, text, length);
}

static void add_replacement(Matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int count = push_captures(m, s, e);
        lua_call(L, count, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement_text(m, b, s, e);
        return;
    }
    if (!lua_toboolean(L, -1)) {
        // false or nil keeps the match as it was
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
    } else if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    } else {
        luaL_addvalue(b);
    }
}

static int bounded_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer most = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE, 3,
                     "string/function/table");
    Matcher m;
    start_matcher(&m, L, s, ls, p, lp);
    int anchored = skip_anchor(&m, &p);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *at = s;
    const char *last_match = NULL;
    lua_Integer count = 0;
    while (count < most) {
        restart(&m);
        const char *end = match(&m, at, p);
        if (end != NULL && end != last_match) {
            count++;
            add_replacement(&m, &b, at, end, kind);
            at = last_match = end;
        } else if (at < m.subject_end) {
            luaL_addchar(&b, *at++);
        } else {
            break;
        }
        step(&m);
        if (anchored) break;
    }
    luaL_addlstring(&b, at, (size_t)(m.subject_end - at));
    luaL_pushresult(&b);
    lua_pushinteger(L, count);
    return 2;
}

void luashim_install_bounded_patterns(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"find", bounded_find}, {"match", bounded_match}, {"gmatch", bounded_gmatch}, {"gsub", bounded_gsub}, {NULL, NULL},
    };
    lua_getglobal(L, "string");
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 1);
}
