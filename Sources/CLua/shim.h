// Debian's liblua5.4-dev, found through pkg-config "lua5.4" (-I/usr/include/lua5.4 -llua5.4).
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
