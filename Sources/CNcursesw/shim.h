// ncursesw, wide-character build. _XOPEN_SOURCE_EXTENDED exposes the cchar_t API
// (add_wch, setcchar) that draws combining and double-width characters correctly.
#ifndef CHRONOTERM_CNCURSESW_SHIM_H
#define CHRONOTERM_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <langinfo.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <term.h>

// curses' globals, read through functions: Swift 6 refuses shared mutable globals, and
// the one thread that draws is the only one that calls these.
static inline WINDOW *chronoterm_stdscr(void) { return stdscr; }
static inline WINDOW *chronoterm_curscr(void) { return curscr; }
static inline int chronoterm_colors(void) { return COLORS; }
static inline const char *chronoterm_codeset(void) { return nl_langinfo(CODESET); }

// The terminal going away: SIGHUP (the SSH connection or the window closed), SIGTERM,
// and SIGTTIN/SIGTTOU (the console found itself in the background of a terminal it no
// longer owns). The handler only notes the signal; the run loop sees the note at its
// next turn and ends the console. No SA_RESTART: a read waiting on the terminal returns
// at once, so the note is seen without waiting for a key.
static volatile sig_atomic_t chronoterm_lost_signal = 0;
static inline void chronoterm_note_signal(int number) { chronoterm_lost_signal = number; }
static inline int chronoterm_terminal_signal(void) { return chronoterm_lost_signal; }
static inline void chronoterm_watch_terminal(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = chronoterm_note_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGHUP, &action, 0);
    sigaction(SIGTERM, &action, 0);
    sigaction(SIGTTIN, &action, 0);
    sigaction(SIGTTOU, &action, 0);
    // A parent may have left them blocked (a spawning thread's mask is inherited):
    // unblocked here, on the thread that reads the terminal, they reach the console.
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGHUP);
    sigaddset(&watched, SIGTERM);
    sigaddset(&watched, SIGTTIN);
    sigaddset(&watched, SIGTTOU);
    pthread_sigmask(SIG_UNBLOCK, &watched, 0);
}

// Whether terminfo knows `name` well enough to draw a full-screen console: 1 yes;
// 0 it is known but cannot move the cursor (dumb, a printer); -1 it is not known;
// -2 there is no terminfo database at all. Nothing is drawn or changed.
static inline int chronoterm_terminal_check(const char *name) {
    int error = 0;
    TERMINAL *saved = cur_term;
    if (setupterm(name, 1, &error) != OK) { set_curterm(saved); return error == 0 ? -1 : -2; }
    char *cup = tigetstr("cup");
    int usable = (cup != 0 && cup != (char *)-1);
    TERMINAL *probe = cur_term;
    set_curterm(saved);
    del_curterm(probe);
    return usable ? 1 : 0;
}
#endif
