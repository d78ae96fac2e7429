/* gc_concurrent_trees built with GCCHECK=1: after every cycle the checkmark re-marks the
 * heap from the roots with the world stopped and panics on any reachable object the
 * concurrent mark (barrier, stack scans, ragged barrier) left unmarked. */
//! variant: gccheck
//! smp: 2 4
//! soak: yes
//! seeds: 2
//! timeout: 180
#include "gc_concurrent_trees.c"
