/* rng — the project's own seeded pseudo-random numbers.
 *
 * Bootstrap intervals, randomized selection and the test generators must
 * give the same numbers on every C library, so nothing here calls rand():
 * xoshiro256** (Blackman and Vigna, 2018) written from its published
 * description, seeded through SplitMix64 so that any 64-bit seed, 0
 * included, gives a well-mixed state.  Normal deviates use Marsaglia's polar
 * method, which needs only log() and sqrt() (no sin/cos). */
#ifndef LEAKSLOPE_RNG_H
#define LEAKSLOPE_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
  uint64_t s[4];
  double spare;    /* second normal deviate of the last polar pair */
  bool have_spare;
};

/* Seed the generator; the same seed gives the same stream everywhere. */
void rng_seed(struct rng *r, uint64_t seed);
/* Next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* Uniform integer in [0, n) without modulo bias; 0 when n is 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform double in [0, 1) with 53 random bits. */
double rng_uniform(struct rng *r);
/* Standard normal deviate (mean 0, variance 1). */
double rng_normal(struct rng *r);

#endif
