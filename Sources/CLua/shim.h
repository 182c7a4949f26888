// Debian's liblua5.4-dev: its headers live in /usr/include/lua5.4 (the package's
// pkg-config file is not used; see Package.swift), and each includes its siblings by
// relative name.
#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
