/* Unit tests of join: samples against cycles, lifetimes, the two modes. */
#include "config.h"
#include "fit/join.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>

#define SEC USEC_PER_SEC

/* Fast sampling: a sample every 0.25 s, a cycle every second (load at k s,
 * unload at k+0.5 s): every cycle has a sample after its unload. */
static void test_after_cycle(void) {
  usec_t t[40];
  double mem[40];
  for (int i = 0; i < 40; i++) {
    t[i] = (usec_t)i * SEC / 4 + 1000;
    mem[i] = i == 7 ? NAN : 1000.0 + i;
  }
  struct join_cycle c[9];
  for (int k = 0; k < 9; k++)
    c[k] = (struct join_cycle){(usec_t)k * SEC, (usec_t)k * SEC + SEC / 2, true, 42};
  struct join_series s = {40, t, mem, NULL};
  struct join_points p;
  join_build(&s, c, 9, -1, &p);
  ok(p.mode == JOIN_AFTER_CYCLE && p.n == 9, "fast sampling: after-cycle mode, one point per cycle (%zu)", p.n);
  /* cycle 0 unloads at 0.5 s: the first sample after is 0.501 s (i=2) */
  ok(p.cycles[0] == 1 && p.mem[0] == 1002.0, "cycle 1's point is the first sample after its unload");
  /* cycle 1 unloads at 1.5 s: samples i=6 (1.5 s + 1 ms) */
  ok(p.mem[1] == 1006.0, "cycle 2's point is the sample just after unload at 1.5 s");
  ok(p.cycles_in_span == 8 && p.lifetimes == 1, "8 of 9 cycles load inside the span (the first loads before it), one lifetime");
  join_points_fini(&p);

  join_build(&s, c, 9, JOIN_EVERY_SAMPLE, &p);
  ok(p.n == 39 && p.cycles[0] == 0 && p.cycles[38] == 9,
     "every-sample mode: blank skipped (39 points), x counts completed cycles 0..9");
  join_points_fini(&p);
}

/* Sparse sampling: a sample every 15 s, two cycles a second. */
static void test_every_sample(void) {
  usec_t t[10];
  double mem[10];
  struct join_cycle c[300];
  for (int i = 0; i < 10; i++) {
    t[i] = (usec_t)i * 15 * SEC;
    mem[i] = 5e6 + 30.0 * i;
  }
  for (int k = 0; k < 300; k++)
    c[k] = (struct join_cycle){(usec_t)k * SEC / 2, (usec_t)k * SEC / 2 + SEC / 4, true, 7};
  struct join_series s = {10, t, mem, NULL};
  struct join_points p;
  join_build(&s, c, 300, -1, &p);
  ok(p.mode == JOIN_EVERY_SAMPLE && p.n == 10, "sparse sampling: every-sample mode, 10 points");
  ok(p.cycles[1] == 30 && p.cycles[9] == 270, "x at 15 s is 30 cycles, at 135 s 270 (got %g, %g)",
     p.cycles[1], p.cycles[9]);
  is_near(p.hours[9], 135.0 / 3600, 1e-12, "hours since the first sample");
  join_points_fini(&p);
}

/* Implied pairing (loads only): memory after cycle k is the last sample
 * before load k+1. */
static void test_implied(void) {
  usec_t t[20];
  double mem[20];
  for (int i = 0; i < 20; i++) {
    t[i] = (usec_t)i * SEC;
    mem[i] = 100.0 + i;
  }
  struct join_cycle c[3];
  for (int k = 0; k < 3; k++) /* loads at 2.5, 7.5, 12.5; the 4th load at 17.5 */
    c[k] = (struct join_cycle){(usec_t)(5 * k + 2) * SEC + SEC / 2,
                               (usec_t)(5 * k + 7) * SEC + SEC / 2, false, 9};
  struct join_series s = {20, t, mem, NULL};
  struct join_points p;
  join_build(&s, c, 3, -1, &p);
  ok(p.mode == JOIN_AFTER_CYCLE && p.n == 3 && p.mem[0] == 107 && p.mem[2] == 117,
     "implied: the last sample before the next load (7 s, 17 s)");
  join_points_fini(&p);
}

static void test_lifetimes(void) {
  usec_t t[6] = {0, 1, 2, 3, 4, 5};
  double mem[6] = {1, 2, 3, 1, 2, 3};
  double pid[6] = {10, 10, NAN, 11, 11, 11};
  int life[6];
  struct join_series s = {6, t, mem, pid};
  ok(join_lifetimes(&s, life) == 2 && life[2] == 0 && life[3] == 1,
     "a new ID Process starts a new lifetime; a blank pid keeps the current one");
  struct join_points p;
  join_build_uniform(&s, 0, 0.5, &p);
  ok(p.n == 6 && fabs(p.cycles[5] - 5e-6 / 0.5) < 1e-12 && p.lifetime[4] == 1,
     "uniform cycles from --cycle-period, lifetimes kept");
  join_points_fini(&p);
  struct join_series empty = {0, t, mem, NULL};
  join_build(&empty, NULL, 0, -1, &p);
  ok(p.n == 0 && p.lifetimes == 0, "no samples, no cycles: no points, no crash");
  join_points_fini(&p);
}

/* Restarts without ID Process: told from the series itself. */
static void test_infer_restarts(void) {
  enum { N = 60 };
  double mem[N], h[N], e[N], life[N];
  bool resumed[N] = {false};
  struct join_restart *r;
  /* a leaker: 10 MB + 2 MB a sample, restarting at sample 30 back to 10 MB;
   * noise of a few KB; handles follow */
  for (int i = 0; i < N; i++) {
    int k = i < 30 ? i : i - 30;
    mem[i] = 10e6 + 2e6 * k + (i % 3) * 4096;
    h[i] = 200 + 3 * k;
    e[i] = i < 30 ? 100.0 + 15 * i : 15.0 * (i - 30);
  }
  size_t nr = join_infer_restarts(mem, h, NULL, NULL, N, life, &r);
  ok(nr == 1 && r[0].at == 30 && r[0].sign == JOIN_RESTART_DROP && r[0].before > 60e6 &&
     r[0].after < 11e6 && life[29] == 1 && life[30] == 2 && life[N - 1] == 2,
     "a drop from 68 MB back to 10 MB, handles too: one restart, at sample 30 (%zu)", nr);
  free(r);
  struct join_series js = {N, NULL, mem, life};
  int lives[N];
  ok(join_lifetimes(&js, lives) == 2 && lives[30] == 1, "... its stand-in pids give join_lifetimes two lifetimes");

  /* Elapsed Time going back is the sign, and beats memory */
  nr = join_infer_restarts(mem, h, e, NULL, N, life, &r);
  ok(nr == 1 && r[0].at == 30 && r[0].sign == JOIN_RESTART_ELAPSED && r[0].before == 535 &&
     r[0].after == 0, "Elapsed Time back from 535 s to 0: the restart, by elapsed time");
  free(r);
  for (int i = 0; i < N; i++)
    e[i] = 100.0 + 15 * i;
  nr = join_infer_restarts(mem, h, e, NULL, N, life, &r);
  ok(nr == 0 && r == NULL && life[N - 1] == 1,
     "Elapsed Time that only climbs: no restart, whatever the memory does");

  /* handles that do not fall: a big free, not a new process */
  for (int i = 30; i < N; i++)
    h[i] = 400;
  nr = join_infer_restarts(mem, h, NULL, NULL, N, life, &r);
  ok(nr == 0, "memory falls but Handle Count does not: no restart");
  /* without handles, the drop alone tells */
  nr = join_infer_restarts(mem, NULL, NULL, NULL, N, life, &r);
  ok(nr == 1, "without Handle Count the drop alone tells");
  free(r);

  /* a drop of half, but not back near the start (a cache freed at 68 MB
   * down to 34 MB, the start 10 MB): no restart */
  for (int i = 30; i < N; i++)
    mem[i] = 34e6 + 1e6 * (i - 30);
  nr = join_infer_restarts(mem, NULL, NULL, NULL, N, life, &r);
  ok(nr == 0, "a fall by half that stays far above the start: no restart");
  /* ... after an absence, a third of the climb is near enough */
  for (int i = 30; i < N; i++)
    mem[i] = 25e6 + 1e6 * (i - 30);
  resumed[30] = true;
  nr = join_infer_restarts(mem, h, NULL, resumed, N, life, &r);
  ok(nr == 1 && r[0].sign == JOIN_RESTART_RETURN && r[0].at == 30,
     "gone for some rows, back at 25 MB (a quarter of the climb above the start): a restart, "
     "handles or not");
  free(r);

  /* a steady process with noise, a warm-up, small values: none */
  for (int i = 0; i < N; i++)
    mem[i] = 50e6 + ((i * 7919) % 13) * 40960.0 - (i < 10 ? 30e6 * (10 - i) / 10 : 0);
  nr = join_infer_restarts(mem, NULL, NULL, NULL, N, life, &r);
  ok(nr == 0, "noise and a warm-up: no restart");
  for (int i = 0; i < N; i++)
    mem[i] = i % 2 ? 200e3 : 900e3;
  nr = join_infer_restarts(mem, NULL, NULL, NULL, N, life, &r);
  ok(nr == 0, "drops of 700 KB (under 1 MiB): no restart");

  /* blanks are skipped, two restarts counted */
  for (int i = 0; i < N; i++)
    mem[i] = i % 20 == 5 ? NAN : 8e6 + 3e6 * (i % 20);
  nr = join_infer_restarts(mem, NULL, NULL, NULL, N, life, &r);
  ok(nr == 2 && r[0].at == 20 && r[1].at == 40 && life[59] == 3,
     "a blank cell skipped; restarts at 20 and 40, three lifetimes (%zu)", nr);
  free(r);
  nr = join_infer_restarts(NULL, NULL, NULL, NULL, N, life, &r);
  ok(nr == 0 && life[0] == 1, "nothing to tell by: one lifetime");
}

int main(void) {
  test_after_cycle();
  test_every_sample();
  test_implied();
  test_lifetimes();
  test_infer_restarts();
  return tap_done();
}
