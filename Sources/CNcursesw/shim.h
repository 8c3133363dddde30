// ncursesw, wide-character build. _XOPEN_SOURCE_EXTENDED exposes the cchar_t API
// (add_wch, setcchar) that draws combining and double-width characters correctly.
#ifndef CHRONOTERM_CNCURSESW_SHIM_H
#define CHRONOTERM_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
