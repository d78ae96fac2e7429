/* suspend_g / resume_g (suspend.c). */
#pragma once
#include "runtime.h"

struct suspend_state {
    struct g *g;
    bool stopped;      /* we stopped it from running: resume_g makes it runnable */
    bool dead;         /* nothing to scan */
};
struct suspend_state suspend_g(struct g *gp);
void resume_g(struct suspend_state st);
