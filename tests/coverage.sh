#!/bin/sh
# coverage: the seeded slice of the fit's simulation study (tests/bench/
# coverage.c): 24 series of each shape, the 95% interval holding the truth
# in at least 93% of series (less two binomial standard errors) and no false
# leak on a slowing warm-up. Seeded, so the outcome is fixed. It runs the
# numerics only, without valgrind (test_fit covers the same code under it);
# `make bench-coverage` prints the full table.
exec "$abs_top_builddir/libtool" --mode=execute "$abs_top_builddir/tests/bench/coverage" --check
