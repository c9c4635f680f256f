// Loaded (LD_PRELOAD) into each worker that `oms bench --instructions` runs
// under valgrind 3.19, Debian 12's: its rt_sigsuspend wrapper writes to the
// caller's signal mask, and libdispatch, whose main thread ends in
// sigsuspend() when dispatchMain() takes over, passes a `static const`
// mask, in read-only memory: valgrind dies of a SIGSEGV of its own. Here
// the mask is copied to the stack first. Nothing else changes; this library
// is never linked into oms or its workers.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>

int sigsuspend(const sigset_t *mask) {
    static int (*next)(const sigset_t *);
    if (next == NULL) {
        next = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    }
    sigset_t copy = *mask;
    return next(&copy);
}
