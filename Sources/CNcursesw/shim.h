// ncursesw, wide-character build. _XOPEN_SOURCE_EXTENDED exposes the cchar_t API
// (add_wch, setcchar) that draws combining and double-width characters correctly.
#ifndef CHRONOTERM_CNCURSESW_SHIM_H
#define CHRONOTERM_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <langinfo.h>

// curses' globals, read through functions: Swift 6 refuses shared mutable globals, and
// the one thread that draws is the only one that calls these.
static inline WINDOW *chronoterm_stdscr(void) { return stdscr; }
static inline WINDOW *chronoterm_curscr(void) { return curscr; }
static inline int chronoterm_colors(void) { return COLORS; }
static inline const char *chronoterm_codeset(void) { return nl_langinfo(CODESET); }
#endif
