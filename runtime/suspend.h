/* suspend_g / resume_g (suspend.c). */
#pragma once
#include "runtime.h"

struct suspend_state {
    struct g *g;
    bool stopped;      /* we stopped it from running: resume_g makes it runnable */
    bool dead;         /* nothing to scan */
};
/* Unless dead, returns owning gp's stack (SCAN) with interrupts off on this core;
 * resume_g turns them back on. Scan, then resume at once. */
struct suspend_state suspend_g(struct g *gp);
void resume_g(struct suspend_state st);
