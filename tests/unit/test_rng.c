/* Unit tests of the project's PRNG: reference vectors of xoshiro256** and
 * SplitMix64, determinism, and the moments of uniform and normal deviates
 * (tolerances: 5 standard errors of a 10^5-draw mean, so a correct
 * generator fails with probability below 10^-6 — and the seed is fixed, so
 * the outcome never changes from run to run). */
#include "config.h"
#include "util/rng.h"
#include "tap.h"

#include <math.h>

int main(void) {
  struct rng r = {{1, 2, 3, 4}, 0, false};
  uint64_t want[4] = {11520, 0, 1509978240, UINT64_C(1215971899390074240)};
  int same = 1;
  for (int i = 0; i < 4; i++)
    same &= rng_next(&r) == want[i];
  ok(same, "xoshiro256** from state {1,2,3,4} gives the published 11520, 0, 1509978240, ...");

  rng_seed(&r, 0);
  is_int((long long)(r.s[0] == UINT64_C(0xe220a8397b1dcdaf)), 1,
         "SplitMix64(0) first output 0xe220a8397b1dcdaf seeds s[0]");

  struct rng a, b;
  rng_seed(&a, 42);
  rng_seed(&b, 42);
  int eq = 1;
  for (int i = 0; i < 1000; i++)
    eq &= rng_next(&a) == rng_next(&b);
  ok(eq, "same seed, same 1000 numbers");
  rng_seed(&b, 43);
  ok(rng_next(&a) != rng_next(&b), "different seeds differ");

  const int n = 100000;
  double su = 0, suu = 0, mn = 1, mx = 0;
  rng_seed(&r, 7);
  for (int i = 0; i < n; i++) {
    double u = rng_uniform(&r);
    su += u, suu += u * u;
    mn = fmin(mn, u), mx = fmax(mx, u);
  }
  is_near(su / n, 0.5, 5 * sqrt(1.0 / 12 / n), "uniform mean 1/2");
  is_near(suu / n - (su / n) * (su / n), 1.0 / 12, 0.002, "uniform variance 1/12");
  ok(mn >= 0 && mx < 1, "uniform stays in [0, 1)");

  double sz = 0, szz = 0, sz4 = 0;
  for (int i = 0; i < n; i++) {
    double z = rng_normal(&r);
    sz += z, szz += z * z, sz4 += z * z * z * z;
  }
  is_near(sz / n, 0, 5 / sqrt(n), "normal mean 0");
  is_near(szz / n, 1, 5 * sqrt(2.0 / n), "normal variance 1");
  is_near(sz4 / n, 3, 5 * sqrt(96.0 / n), "normal 4th moment 3 (tails are Gaussian)");

  int counts[7] = {0}, inrange = 1;
  for (int i = 0; i < 70000; i++) {
    uint64_t v = rng_below(&r, 7);
    if (v >= 7)
      inrange = 0;
    else
      counts[v]++;
  }
  double chi = 0;
  for (int i = 0; i < 7; i++)
    chi += (counts[i] - 10000.0) * (counts[i] - 10000.0) / 10000.0;
  ok(inrange && chi < 22.46, "rng_below(7): all in range, chi-square %.2f < 22.46 (6 df, p=0.001)", chi);
  is_int(rng_below(&r, 0), 0, "rng_below(0) is 0");
  return tap_done();
}
