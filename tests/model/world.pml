/* world.pml: a Promela model of goro's Rule 0 protocol (docs: docs/design/world.md),
 * for the spin model checker. Run by tests/model/run.sh.
 *
 * WHAT IS MODELLED
 *   NP Ps (2 by default, -DNP=3 for three), each with its own M (a core; M i keeps P i,
 *   as goro's Ms do while idle), and up to three goroutines:
 *     F  (-DHAVE_F)  calls goro_for_each_p once          (world.c)
 *     S  (-DHAVE_S)  calls goro_stop_the_world / goro_start_the_world once
 *     W  (always)    the GC's mark worker: mark_stacks (mark.c) does suspend_g, the
 *                    stack scan and resume_g (suspend.c) on F and on S, in either order
 *   -DWRAPPED: F and S wait on g0 with their goroutine moved running -> waiting first
 *   (systemstack with a wait reason, Rule 0); without it they wait on g0 with their
 *   goroutine still running (the UNWRAPPED=1 build).
 *   -DWITNESS: an extra process whose assertion fails when the search reaches the
 *   interleaving that deadlocks without Rule 0 (run.sh's proof a clean run is not
 *   vacuous).
 *
 * HOW IT MAPS TO GORO
 *   gstatus[g]        g->status: RUNNABLE, RUNNING, WAITING, PREEMPTED, DEAD, | G_SCAN.
 *                     Every transition is a compare-and-swap from the state the code
 *                     expects; casgstatus's spin while SCAN is set is a blocking guard.
 *   gpreempt[g], gpreempt_stop[g]   g->preempt, g->preempt_stop (preempt_request sets
 *                     the flag; the IPI is the flag being visible).
 *   gm[g], mcurg[m]   g->m and m->curg; ong0[g]: g's M is on g0 inside systemstack (g's
 *                     own stack is untouched, what a scanner may read).
 *   mlocks[m]         the core's mlocks (acquirem/releasem). A goroutine honours a preemption
 *                     only at an async safe point of its own code (SAFE below) with
 *                     mlocks == 0, never on g0: rt_trap_exit. releasem honours a
 *                     deferred request (goro_gosched).
 *   pstatus[p]        P_IDLE (on sched.pidle), P_RUNNING, P_GCSTOP.
 *   pspfn[p]          p->safe_point_fn; taken by a CAS, either by the P's own M
 *                     (run_safe_point_fn from findrunnable) or by the forEachP caller
 *                     for an idle P (for_each_p_internal). fnran[p] counts runs of fn.
 *                     (spin reports both "CAS lost" branches unreached: the caller's
 *                     CAS runs, under sched.lock, only for Ps on the idle list, and a P
 *                     leaves that list only under sched.lock, before its M can get to
 *                     run_safe_point_fn. The CAS is a safety net, never contended.)
 *   schedlock         sched.lock; spwait = safe_point_wait; stopwait = sched.stopwait;
 *                     gcwaiting = sched.gcwaiting.
 *   wsheld, wswaiter  the world lock, worldsema (worldsema.c): F and S park on it;
 *                     release hands it to the waiter (FIFO; at most one here).
 *   M(i)              schedule/findrunnable on g0: gcstopm, run_safe_point_fn, runqget,
 *                     execute (casgstatus runnable -> running waits while a scanner
 *                     owns the goroutine), idle/m_sleep.
 *   Gf, Gs, Gw        the goroutines' code, including what their M does on g0 for them
 *                     (gopreempt_m, park_m, gosched_m, systemstack_m, for_each_p_internal,
 *                     stop_the_world_with_sema, suspend_g).
 *   Waiting loops (wait_for_ps, suspend_g's spin, gcstopm, m_sleep, casgstatus) are
 *   blocking guards; the periodic re-sending of preemption requests is a step only when
 *   it would change something (a running P's goroutine without the flag), so a waiter
 *   that can no longer change anything is blocked, and "all processes blocked" is what
 *   spin reports as an invalid end state: a deadlock. Finished goroutines terminate and
 *   an M asleep in m_sleep with nothing to do is at an end label, so every other
 *   end state is a deadlock.
 *
 * SAFETY CHECKS (assertions)
 *   - forEachP: when for_each_p_internal returns, fn ran exactly once on every P and no
 *     P still has it pending; fn never runs twice for a P.
 *   - stop-the-world: when stop_the_world_with_sema returns, every P is P_GCSTOP and no
 *     goroutine but the stopper is on an M.
 *   - a scanned stack is owned: the goroutine has SCAN and is not executing its own
 *     code (off its M, or its M is on g0 for it).
 *   - gcstopm never stops an idle P (goro throws).
 *
 * WHAT IS ABSTRACTED AWAY
 *   - Run queues are one set: local rings, runnext, the global queue and stealing
 *     become "any M may take any runnable goroutine, in any order", and idle() sleeps
 *     only when no goroutine is runnable anywhere (goro checks the global queue after
 *     failing to steal). A sleeping M wakes only when its P is taken off the idle list
 *     (wakep from goready, stop/start the world: the IPI), as in goro; nmspinning is
 *     left out (wakep always wakes an idle P if there is one). Timer interrupts of idle
 *     Ms are left out: goro arms none for a P without timers.
 *   - Time: watchdogs, the 100 us re-send period, the 2 ms re-ask of suspend_g, slice
 *     lengths. A time-slice end (tick) can preempt a preemptible goroutine at any SAFE
 *     point (-DTICKS, on in run.sh); a tick while non-preemptible is honoured by releasem.
 *   - sched.lock sections that never wait inside are single indivisible steps (they
 *     take the lock when it is free, which respects the one multi-step holder:
 *     for_each_p_internal's idle-P loop, modelled step by step so that the P's own
 *     lock-free CAS can interleave with it).
 *   - What fn does, what the scan reads, the heap, the write barrier, timers, IPIs as
 *     messages (an IPI is the flag becoming visible), gomaxprocs/procresize, the GC's
 *     self-scan, dead goroutines' reuse.
 *
 * FIXES (not in goro's runtime when this was written; -D flags to show they suffice)
 *   -DFIX_SCAN_HOLDS_M   mark_stacks keeps its M (acquirem) from suspend_g to resume_g,
 *                        as Go scans on the system stack. goro's suspend_g releasem()s
 *                        before returning, so the worker can be preempted (at releasem,
 *                        or by a tick while scanning) while it owns a stack (SCAN):
 *                        whoever then waits for that bit (systemstack_m's waiting ->
 *                        running, execute's runnable -> running, goready) waits on a
 *                        worker that cannot run, e.g. a stopped world.
 *   -DFIX_STW_PREEMPTOFF goro_stop_the_world acquirem()s before systemstack (Go sets
 *                        m.preemptoff before it), not after: between systemstack's return
 *                        (arch_intr_on) and acquirem the stopper, with the world stopped,
 *                        is preemptible; an interrupt in that window with g->preempt set
 *                        (a tick during the wait sets it) preempts it, and its M parks
 *                        in gcstopm for ever with the world stopped.
 *
 * Modelled from the working tree of world.c, suspend.c, sched.c, preempt.c, mark.c,
 * proc.c and worldsema.c as of 2026-11-25 (world lock = worldsema). */

#ifndef NP
#define NP 2
#endif
#if NP < 2 || NP > 3
#error "NP must be 2 or 3 (RESEND and wakep spell out three Ps)"
#endif

#define NG 3
#define F 0
#define S 1
#define W 2
#define NONE 255

/* runtime.h */
#define G_RUNNABLE  1
#define G_RUNNING   2
#define G_WAITING   3
#define G_PREEMPTED 4
#define G_DEAD      5
#define G_SCAN      8

#define P_IDLE    0
#define P_RUNNING 1
#define P_GCSTOP  2

byte gstatus[NG];
bool gpreempt[NG];
bool gpreempt_stop[NG];
byte gm[NG];
bool ong0[NG];
bool inq[NG];

byte mcurg[NP];
byte mlocks[NP];

byte pstatus[NP];
bool pspfn[NP];
byte fnran[NP];

bit schedlock;
bool gcwaiting;
byte stopwait;
byte spwait;

bool wsheld;
bool wswaiter[NG];

byte wtarget;        /* the goroutine W spins on in suspend_g, else NONE (for reading trails) */

#define ANYQ (inq[F] || inq[S] || inq[W])

/* ---- the goroutine leaves its M (the M's process goes on in schedule) ---- */
inline offm(g) {
    mcurg[gm[g]] = NONE;
    gm[g] = NONE
}

/* gopreempt_m (preempt.c), from rt_trap_exit: stop as PREEMPTED if suspend_g asked,
 * else become runnable. */
inline preempt_body(g) {
    assert(gstatus[g] == G_RUNNING && !ong0[g]);
    gpreempt[g] = false;
    if
    :: gpreempt_stop[g] -> gpreempt_stop[g] = false; gstatus[g] = G_PREEMPTED
    :: else -> gstatus[g] = G_RUNNABLE; inq[g] = true
    fi;
    offm(g)
}

/* goro_gosched / gosched_m (sched.c) */
inline gosched_body(g) {
    assert(gstatus[g] == G_RUNNING && !ong0[g]);
    gpreempt[g] = false;
    gstatus[g] = G_RUNNABLE;
    inq[g] = true;
    offm(g)
}

/* An async safe point of g's own code (rt_trap_exit): a pending preemption request, or
 * the end of a time slice, switches it out if its M is preemptible. Afterwards g waits
 * until some M executes it again. */
inline SAFE(g) {
    if
    :: atomic { mlocks[gm[g]] == 0 && gpreempt[g] -> preempt_body(g) }; gm[g] != NONE
#ifdef TICKS
    :: atomic { mlocks[gm[g]] == 0 -> preempt_body(g) }; gm[g] != NONE
#endif
    :: true
    fi
}

/* acquirem / releasem (sched.c): releasem honours a request deferred meanwhile. */
inline acquirem(g) {
    mlocks[gm[g]]++
}
inline releasem(g, mm) {
    mm = gm[g];
    mlocks[mm]--;
    if
    :: atomic { mlocks[mm] == 0 && gpreempt[g] -> gosched_body(g) }; gm[g] != NONE
#ifdef TICKS
    :: atomic { mlocks[mm] == 0 && !gpreempt[g] -> gosched_body(g) }; gm[g] != NONE   /* a tick came while locked */
    :: mlocks[mm] != 0 || !gpreempt[g]
#else
    :: else
#endif
    fi;
    mm = 0
}

/* goready: casgstatus waiting -> runnable waits while a scanner owns w (intr_push:
 * not preemptible meanwhile); then wakep: take an idle P off the idle list, running,
 * and wake its M (IPI). */
inline goready(w) {
    atomic { gstatus[w] == G_WAITING -> gstatus[w] = G_RUNNABLE; inq[w] = true };
    atomic {
        schedlock == 0 ->
        if
        :: pstatus[0] == P_IDLE -> pstatus[0] = P_RUNNING
        :: pstatus[1] == P_IDLE -> pstatus[1] = P_RUNNING
        :: NP > 2 && pstatus[NP - 1] == P_IDLE -> pstatus[NP - 1] = P_RUNNING
        :: else
        fi
    }
}

inline goexit(g) {
    d_step { assert(gstatus[g] == G_RUNNING && !ong0[g]); gstatus[g] = G_DEAD; offm(g) }
}

/* ---- the world lock (worldsema_acquire / worldsema_release, worldsema.c) ---- */
inline ws_acquire(g) {
    if
    :: atomic { !wsheld -> wsheld = true }
    :: atomic { wsheld ->                             /* queue and gopark */
           wswaiter[g] = true; gstatus[g] = G_WAITING; offm(g) };
       gm[g] != NONE                                  /* woken as the owner */
    fi
}
inline ws_release(w) {
    atomic {
        assert(wsheld);
        if
        :: wswaiter[F] -> wswaiter[F] = false; w = F  /* hand over to the waiter */
        :: wswaiter[S] -> wswaiter[S] = false; w = S
        :: else -> wsheld = false; w = NONE
        fi
    };
    if
    :: w != NONE -> goready(w); w = NONE
    :: else
    fi
}

/* ---- systemstack(fn, arg, waitreason) (sched.c) ---- */
inline sys_enter(g) {          /* mcall to g0; Rule 0: running -> waiting */
    d_step {
        assert(gstatus[g] == G_RUNNING);
        ong0[g] = true;
#ifdef WRAPPED
        gstatus[g] = G_WAITING
#endif
    }
}
inline sys_exit(g) {           /* Rule 0 end: waiting -> running, waits while scanned */
#ifdef WRAPPED
    atomic { gstatus[g] == G_WAITING -> gstatus[g] = G_RUNNING; ong0[g] = false }
#else
    ong0[g] = false
#endif
}

/* ---- world.c ---- */
/* preemptall: ask the goroutine running on every other running P to stop. */
inline preemptall(self, j) {
    j = 0;
    do
    :: j < NP ->
       if
       :: j != self && pstatus[j] == P_RUNNING && mcurg[j] != NONE -> gpreempt[mcurg[j]] = true
       :: else
       fi;
       j++
    :: else -> break
    od;
    j = 0
}
/* Re-sending (wait_for_ps, every 100 us) changes something only if a running P's
 * goroutine lacks the flag. */
#define NEEDS(j, self) (j < NP && j != self && pstatus[j] == P_RUNNING && mcurg[j] != NONE && !gpreempt[mcurg[j]])
#define RESEND(self) (NEEDS(0, self) || NEEDS(1, self) || NEEDS(2, self))

/* for_each_p_internal, on g0 of the caller's M (self). */
inline for_each_p_internal(self, i) {
    atomic {
        schedlock == 0 -> schedlock = 1;
        spwait = NP - 1;
        i = 0;
        do
        :: i < NP -> if :: i != self -> pspfn[i] = true :: else fi; i++
        :: else -> break
        od;
        preemptall(self, i)
    };
    /* idle Ps: run fn for them, a CAS on the flag settling who does */
    i = 0;
    do
    :: i < NP ->
       if
       :: pstatus[i] == P_IDLE ->
          if
          :: atomic { pspfn[i] -> pspfn[i] = false; fnran[i]++; assert(fnran[i] == 1); spwait-- }
          :: atomic { !pspfn[i] -> skip }             /* the P's own M won the CAS */
          fi
       :: else
       fi;
       i++
    :: else -> break
    od;
    i = 0;
    schedlock = 0;
    d_step { fnran[self]++; assert(fnran[self] == 1) };   /* fn(self) */
    /* wait_for_ps(&safe_point_wait, ...) */
    do
    :: spwait == 0 -> break
    :: atomic { RESEND(self) -> preemptall(self, i) }
    od;
    atomic {
        i = 0;
        do
        :: i < NP -> assert(!pspfn[i] && fnran[i] == 1); fnran[i] = 0; i++
        :: else -> break
        od;
        i = 0
    }
}

/* stop_the_world_with_sema, on g0 of the caller's M (self). */
inline stop_the_world_with_sema(self, j) {
    d_step {
        schedlock == 0 ->
        stopwait = NP;
        gcwaiting = true;
        preemptall(self, j);
        pstatus[self] = P_GCSTOP;
        stopwait--;
        j = 0;
        do
        :: j < NP -> if :: pstatus[j] == P_IDLE -> pstatus[j] = P_GCSTOP; stopwait-- :: else fi; j++
        :: else -> break
        od;
        j = 0
    };
    do
    :: stopwait == 0 -> break
    :: atomic { RESEND(self) -> preemptall(self, j) }
    od;
    atomic {
        j = 0;
        do
        :: j < NP -> assert(pstatus[j] == P_GCSTOP); j++
        :: else -> break
        od;
        j = 0;
        assert(gm[F] == NONE && gm[W] == NONE)
    }
}

inline start_the_world_with_sema(j) {
    d_step {
        schedlock == 0 ->
        gcwaiting = false;
        j = 0;
        do
        :: j < NP -> if :: pstatus[j] == P_GCSTOP -> pstatus[j] = P_RUNNING :: else fi; j++
        :: else -> break
        od;
        j = 0
    }
}

/* ---- suspend.c ---- */
inline suspend_g(t, stopped, dead, mm) {
    d_step { acquirem(W); wtarget = t };
    do
    :: d_step { gstatus[t] == G_DEAD -> dead = true; wtarget = NONE }; break
    :: d_step { (gstatus[t] == G_RUNNABLE || gstatus[t] == G_WAITING) ->   /* castogscan */
                gstatus[t] = gstatus[t] | G_SCAN; gpreempt_stop[t] = false; wtarget = NONE }; break
    :: d_step { gstatus[t] == G_PREEMPTED -> gstatus[t] = G_WAITING | G_SCAN; stopped = true; wtarget = NONE }; break
    :: d_step { gstatus[t] == G_RUNNING && (!gpreempt[t] || !gpreempt_stop[t]) ->
                gpreempt_stop[t] = true; gpreempt[t] = true }          /* preempt_request */
    od;
    releasem(W, mm)
}

inline resume_g(t, stopped, dead) {
    if
    :: dead -> dead = false
    :: else ->
       d_step { assert(gstatus[t] & G_SCAN); gstatus[t] = gstatus[t] & ~G_SCAN };
       if
       :: stopped -> stopped = false; goready(t)
       :: else
       fi
    fi
}

/* ---- the goroutines ---- */
proctype Gf() {
    byte i, w = NONE;
    gm[F] != NONE;                     /* first executed */
    SAFE(F);
    ws_acquire(F);
    SAFE(F);
    sys_enter(F);                      /* systemstack(for_each_p_internal, ...) */
    for_each_p_internal(gm[F], i);
    sys_exit(F);
    SAFE(F);
    ws_release(w);
    SAFE(F);
    goexit(F)
}

proctype Gs() {
    byte j, w = NONE, mm;
    gm[S] != NONE;
    SAFE(S);
    ws_acquire(S);
    SAFE(S);
#ifdef FIX_STW_PREEMPTOFF
    acquirem(S);
#endif
    sys_enter(S);                      /* systemstack(stop_the_world_with_sema, ...) */
    stop_the_world_with_sema(gm[S], j);
    sys_exit(S);
#ifndef FIX_STW_PREEMPTOFF
    SAFE(S);                           /* between systemstack's return and acquirem */
    acquirem(S);                       /* stw_m = acquirem() */
#endif
    /* the world is stopped; goro_start_the_world: */
    start_the_world_with_sema(j);      /* systemstack(start_the_world_with_sema, NULL, NULL) */
    ws_release(w);
    releasem(S, mm);
    SAFE(S);
    goexit(S)
}

/* The mark worker's mark_stacks over F and S (in either order). */
proctype Gw() {
    byte t, k, mm;
    bool stopped, dead;
    gm[W] != NONE;
#if defined(HAVE_F) && defined(HAVE_S)
    if
    :: t = F
    :: t = S
    fi;
    k = 0;
#elif defined(HAVE_F)
    t = F; k = 1;
#else
    t = S; k = 1;
#endif
    do
    :: k < 2 ->
       SAFE(W);
#ifdef FIX_SCAN_HOLDS_M
       acquirem(W);
#endif
       suspend_g(t, stopped, dead, mm);
#ifndef FIX_SCAN_HOLDS_M
       SAFE(W);                        /* suspend_g released the M: the scan is preemptible */
#endif
       /* scan_stack_of */
       assert(dead || ((gstatus[t] & G_SCAN) && (gm[t] == NONE || ong0[t])));
#ifndef FIX_SCAN_HOLDS_M
       SAFE(W);
#endif
       resume_g(t, stopped, dead);
#ifdef FIX_SCAN_HOLDS_M
       releasem(W, mm);
#endif
       t = (t == F -> S : F);
       k++
    :: else -> break
    od;
    t = 0; k = 0;
    SAFE(W);
    goexit(W)
}

/* ---- an M: schedule / findrunnable (sched.c), gcstopm (world.c) ---- */
proctype M(byte i) {
    byte g = NONE;
    do
    :: (gcwaiting || pstatus[i] == P_GCSTOP) ->
       /* gcstopm */
       d_step {
           schedlock == 0 ->
           if
           :: gcwaiting && pstatus[i] != P_GCSTOP ->
              assert(pstatus[i] != P_IDLE);
              pstatus[i] = P_GCSTOP;
              stopwait--
           :: else
           fi
       };
       pstatus[i] != P_GCSTOP
    :: else ->
       /* run_safe_point_fn */
       if
       :: pspfn[i] ->
          if
          :: d_step { pspfn[i] -> pspfn[i] = false; fnran[i]++; assert(fnran[i] == 1) };
             d_step { schedlock == 0 -> spwait-- }       /* safe_point_done */
          :: !pspfn[i]                                   /* the forEachP caller won the CAS */
          fi
       :: else
       fi;
       /* runqget */
       if
       :: d_step { inq[F] -> inq[F] = false; g = F }
       :: d_step { inq[S] -> inq[S] = false; g = S }
       :: d_step { inq[W] -> inq[W] = false; g = W }
       :: else ->
          /* idle(): nothing to run */
          if
          :: d_step { schedlock == 0 && (ANYQ || gcwaiting || pspfn[i]) -> skip }
          :: d_step { schedlock == 0 && !(ANYQ || gcwaiting || pspfn[i]) -> pstatus[i] = P_IDLE };
end_idle:    pstatus[i] != P_IDLE;    /* m_sleep: WFI until an IPI (wakep, start_the_world) */
             d_step { schedlock == 0 -> if :: pstatus[i] == P_IDLE -> pstatus[i] = P_RUNNING :: else fi }
          fi
       fi;
       if
       :: g != NONE ->
          /* execute: casgstatus runnable -> running waits while a scanner owns g */
          d_step { gstatus[g] == G_RUNNABLE -> gstatus[g] = G_RUNNING; gm[g] = i; mcurg[i] = g; g = NONE };
          mcurg[i] == NONE             /* until the goroutine leaves this M */
       :: else
       fi
    od
}

#ifdef WITNESS
/* run.sh's check that a clean (wrapped) run is not clean for want of trying: this
 * assertion fails as soon as the search reaches the interleaving that deadlocks
 * without Rule 0: W spinning in suspend_g on a goroutine that waits on g0 for W's own
 * P (to run fn, or to stop). */
active proctype witness() {
end_witness:
    (wtarget != NONE && ong0[wtarget] && gm[W] != NONE &&
     ((wtarget == F && spwait > 0 && pspfn[gm[W]]) ||
      (wtarget == S && stopwait > 0 && pstatus[gm[W]] != P_GCSTOP)));
    assert(false)
}
#endif

init {
    byte k;
    atomic {
        k = 0;
        do
        :: k < NG -> gstatus[k] = G_DEAD; gm[k] = NONE; k++
        :: else -> break
        od;
        k = 0;
        do
        :: k < NP -> pstatus[k] = P_RUNNING; mcurg[k] = NONE; k++
        :: else -> break
        od;
        k = 0;
        wtarget = NONE;
        gstatus[W] = G_RUNNABLE; inq[W] = true;
#ifdef HAVE_F
        gstatus[F] = G_RUNNABLE; inq[F] = true;
#endif
#ifdef HAVE_S
        gstatus[S] = G_RUNNABLE; inq[S] = true;
#endif
        do
        :: k < NP -> run M(k); k++
        :: else -> break
        od;
        k = 0;
#ifdef HAVE_F
        run Gf();
#endif
#ifdef HAVE_S
        run Gs();
#endif
        run Gw()
    }
}
