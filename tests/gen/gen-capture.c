/* gen-capture — write a realistic captured run with a known leak per cycle.
 *
 * Usage: gen-capture [OPTIONS] DIR
 *   Writes, in DIR (created if missing):
 *     counters.csv  PDH-CSV 4.0 counter log in LOCAL time, header
 *                   "(PDH-CSV 4.0) (W. Europe Standard Time)(-60)" (UTC =
 *                   local + bias), CRLF, every cell quoted; instances
 *                   _Total, mapitest (the target) and store (a decoy that
 *                   grows faster, by the hour); counters ID Process,
 *                   Private Bytes, Virtual Bytes, Working Set of each; a
 *                   few blank cells (" "), and blank mapitest cells while
 *                   the process is down between lifetimes.
 *     events.csv    the project's own trace: time,event,pid,process,module
 *                   (UTC ISO 8601 with Z): mapitest.exe loading and
 *                   unloading C:\Program Files\Exchsrvr\bin\MAPI32.DLL once
 *                   per cycle, plus loads of other modules and store.exe
 *                   holding MAPI32.DLL (neither may count as a cycle).
 *     truth.txt     what was simulated, key=value per line (leak per cycle,
 *                   growth per hour, cycles, lifetimes, pids, expectations).
 *     tracerpt.csv  with --tracerpt: the same events as `tracerpt -of CSV`.
 *     xperf.txt     with --xperf: the same events as `xperf -a dumper`.
 *     procmon.csv   with --procmon: the loads as a Procmon CSV export with
 *                   the Date & Time column, US dates, the log's local time
 *                   (Procmon logs no unloads: pairing is implied).
 *     sysmon.xml    with --sysmon: the loads as Sysmon event 7 records, as
 *                   `wevtutil qe ... /f:xml` writes them (UTC).
 *
 *   -s, --scenario NAME   preset (applied first; later options override):
 *       clean        600 cycles of 40 KiB, 2 s per cycle, 1 s samples
 *       fast         the same at 0.25 s samples
 *       sparse       15 s samples, 2 cycles a second (14400 cycles)
 *       warmup       20 MB of warm-up (tau 40 cycles), then 8 KiB per cycle
 *       warmup-noleak  the warm-up, then nothing
 *       time         no per-cycle leak, 40 MB per hour, varying cycle rate
 *       time-leak    4 KiB per cycle and 20 MB per hour, varying rate
 *       steady-time  4 KiB per cycle and 20 MB per hour, steady rate
 *                    (cycles and time cannot be told apart)
 *       restarts     restarts after cycles 200 and 420 (new pid each)
 *       outliers     6 heap trims (-24 MB) and 2 spikes (+300 MB)
 *       pages        3000 B per cycle in 128 KiB top-pad steps
 *       noleak       nothing leaks
 *   -n, --cycles N           load/unload cycles (600)
 *   -l, --leak BYTES         leak per cycle (40960; negative: the process shrinks)
 *       --leak-from K        the leak starts after cycle K of the run (0)
 *       --leak-until K       and stops after cycle K (never); truth.txt's
 *                            final_leak_bytes_per_cycle is the leak at the end
 *   -p, --cycle-period S     seconds per cycle (2)
 *   -i, --interval S         seconds between samples (1)
 *   -w, --warmup BYTES       warm-up amplitude, saturating (0)
 *       --warmup-tau N       warm-up time constant in cycles (40)
 *   -g, --growth BYTES       growth per hour whatever is loaded (0)
 *   -r, --varying-rate       cycle rate alternates x4 slower / x2 faster
 *                            every 150 cycles
 *   -R, --restart-at K       process exits after cycle K, restarts (repeat)
 *   -t, --trims N            heap trims: memory drops 24 MB for 1-3 samples
 *   -k, --spikes N           one-sample spikes of +300 MB
 *   -P, --top-pad            heap grows in 128 KiB steps (4 KiB always)
 *   -e, --noise BYTES        sd of the AR(1) noise (phi 0.8) (16384)
 *   -b, --blank-rate P       probability of a blank cell (0.002)
 *   -S, --seed N             seed of the project's PRNG (1)
 *   -T, --start TIME         first sample, UTC ISO 8601 (2026-03-05T20:00:00Z)
 *       --twin N             a second process named mapitest (pid 9100, perfmon
 *                            instance mapitest#1) alive all along, doing N
 *                            cycles of its own at 1.25x the period
 *       --twin-leak BYTES    its leak per cycle (0)
 *       --tracerpt           also write tracerpt.csv
 *       --xperf              also write xperf.txt
 *       --procmon            also write procmon.csv
 *       --logon-rate P       a logon/logoff (begin:logon .. end:logon in
 *                            events.csv) after a cycle with probability P,
 *                            in phases of 100 cycles at 1.75P and 0.25P (0)
 *       --logon-leak BYTES   memory each logon leaks (0)
 *       --logon-tied         a logon around every cycle instead (every load
 *                            paired with a logon: the two cannot be told apart)
 *       --sysmon             also write sysmon.xml
 *   -h, --help
 * The same options and seed always write the same bytes.  Exit 0, or 2 on
 * a usage error, 73 when a file cannot be written. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/pdh_write.h"
#include "util/rng.h"
#include "util/timeutil.h"

#define MAX_RESTARTS 16
#define MODULE_PATH "C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL"
#define NT_MODULE "\\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL"
#define BIAS (-60)
#define ZONE "W. Europe Standard Time"
#define MiB 1048576.0

struct opts {
  const char *dir, *scenario;
  long cycles;
  double leak, period, interval, warmup, warmup_tau, growth, noise, blank;
  long twin;
  double twin_leak;
  double leak_from, leak_until; /* the leak runs over cycles (from, until] */
  bool varying, top_pad, tracerpt, xperf, procmon, sysmon, logon_tied;
  double logon_rate, logon_leak;
  long restart_at[MAX_RESTARTS];
  int nrestarts, trims, spikes;
  uint64_t seed;
  usec_t start;
};

/* One event of the simulated run: an image load or unload, or (for the
 * kernel-trace formats only) a process start, rundown or end. */
enum ev_kind { EV_UNLOAD, EV_LOAD, EV_PSTART, EV_PRUNDOWN, EV_PEND, EV_LOGON, EV_LOGOFF };
struct event {
  usec_t t;
  enum ev_kind kind;
  int pid;
  const char *process, *module;
};

struct sim {
  struct opts o;
  struct rng rng;
  /* cycle k: load at load_t[k], unload at unload_t[k], in lifetime life[k] */
  usec_t *load_t, *unload_t;
  int *life;
  int nlives;
  usec_t life_start[MAX_RESTARTS + 1], life_end[MAX_RESTARTS + 1];
  long life_first[MAX_RESTARTS + 1]; /* first cycle of each lifetime */
  int pid[MAX_RESTARTS + 1];
  usec_t *twin_load, *twin_unload; /* the twin's cycles */
  /* logon j: from logon_b[j] to logon_e[j] (in time order) */
  usec_t *logon_b, *logon_e;
  long nlogons;
  long life_first_logon[MAX_RESTARTS + 1];
  usec_t end;
  struct event *ev;
  size_t nev, capev;
};

static void defaults(struct opts *o) {
  memset(o, 0, sizeof *o);
  o->cycles = 600;
  o->leak = 40960;
  o->period = 2;
  o->interval = 1;
  o->warmup_tau = 40;
  o->leak_until = INFINITY;
  o->noise = 16384;
  o->blank = 0.002;
  o->seed = 1;
  o->start = time_from_fields(2026, 3, 5, 20, 0, 0, 0);
}

static int scenario(struct opts *o, const char *name) {
  o->scenario = name;
  if (!strcmp(name, "clean"))
    return 0;
  if (!strcmp(name, "fast"))
    o->interval = 0.25;
  else if (!strcmp(name, "sparse"))
    o->interval = 15, o->period = 0.5, o->cycles = 14400;
  else if (!strcmp(name, "warmup"))
    o->warmup = 20e6, o->leak = 8192, o->cycles = 800;
  else if (!strcmp(name, "warmup-noleak"))
    o->warmup = 20e6, o->leak = 0, o->cycles = 800;
  else if (!strcmp(name, "time"))
    o->leak = 0, o->growth = 40e6, o->varying = true, o->cycles = 2400;
  else if (!strcmp(name, "time-leak"))
    o->leak = 4096, o->growth = 20e6, o->varying = true, o->cycles = 2400;
  else if (!strcmp(name, "steady-time"))
    o->leak = 4096, o->growth = 20e6, o->cycles = 2400;
  else if (!strcmp(name, "restarts"))
    o->restart_at[0] = 200, o->restart_at[1] = 420, o->nrestarts = 2;
  else if (!strcmp(name, "outliers"))
    o->trims = 6, o->spikes = 2;
  else if (!strcmp(name, "pages"))
    o->leak = 3000, o->top_pad = true, o->cycles = 1500, o->noise = 4096;
  else if (!strcmp(name, "noleak"))
    o->leak = 0;
  else
    return -1;
  return 0;
}

/* ---- the timeline ---------------------------------------------------------- */

static bool restarts_after(const struct opts *o, long k) {
  for (int i = 0; i < o->nrestarts; i++)
    if (o->restart_at[i] == k)
      return true;
  return false;
}

static usec_t secs(double s) { return (usec_t)llround(s * 1e6); }

/* Seconds cycle k takes: the period, slowed or sped up by phase, +-5%. */
static double cycle_length(struct sim *s, long k) {
  double f = 1;
  if (s->o.varying)
    f = (k / 150) % 2 ? 0.5 : 4.0;
  return s->o.period * f * (0.95 + 0.1 * rng_uniform(&s->rng));
}

static void timeline(struct sim *s) {
  long n = s->o.cycles;
  s->load_t = calloc((size_t)n + 1, sizeof *s->load_t);
  s->unload_t = calloc((size_t)n + 1, sizeof *s->unload_t);
  s->life = calloc((size_t)n + 1, sizeof *s->life);
  usec_t t = s->o.start + secs(3); /* the process starts 3 s into the log */
  s->nlives = 1;
  s->life_start[0] = t - secs(1);
  s->pid[0] = 7228;
  s->logon_b = calloc((size_t)n + 1, sizeof *s->logon_b);
  s->logon_e = calloc((size_t)n + 1, sizeof *s->logon_e);
  for (long k = 0; k < n; k++) {
    double len = cycle_length(s, k);
    s->load_t[k] = t;
    s->unload_t[k] = t + secs(0.4 * len);
    s->life[k] = s->nlives - 1;
    /* the random draw only when logons are asked for: other runs keep
     * their bytes */
    if (s->o.logon_tied) {
      s->logon_b[s->nlogons] = t - secs(0.02 * len);
      s->logon_e[s->nlogons++] = s->unload_t[k] + secs(0.05 * len);
    } else if (s->o.logon_rate > 0 &&
               rng_uniform(&s->rng) < s->o.logon_rate * ((k / 100) % 2 ? 0.25 : 1.75)) {
      s->logon_b[s->nlogons] = s->unload_t[k] + secs(0.1 * len);
      s->logon_e[s->nlogons++] = s->unload_t[k] + secs(0.3 * len);
    }
    t += secs(len);
    if (restarts_after(&s->o, k + 1) && k + 1 < n && s->nlives <= MAX_RESTARTS) {
      s->life_end[s->nlives - 1] = s->unload_t[k] + secs(1);
      s->life_start[s->nlives] = s->life_end[s->nlives - 1] + secs(6);
      s->pid[s->nlives] = 7228 + 1312 * s->nlives;
      s->life_first[s->nlives] = k + 1;
      s->life_first_logon[s->nlives] = s->nlogons;
      s->nlives++;
      t = s->life_start[s->nlives - 1] + secs(2);
    }
  }
  s->life_end[s->nlives - 1] = t + secs(3600 * 24 * 365);
  s->end = t + secs(3);
  /* The twin starts a second after the target and ends before the log. */
  s->twin_load = calloc((size_t)s->o.twin + 1, sizeof *s->twin_load);
  s->twin_unload = calloc((size_t)s->o.twin + 1, sizeof *s->twin_unload);
  usec_t tt = s->o.start + secs(4);
  for (long k = 0; k < s->o.twin; k++) {
    double len = 1.25 * s->o.period * (0.95 + 0.1 * rng_uniform(&s->rng));
    s->twin_load[k] = tt;
    s->twin_unload[k] = tt + secs(0.4 * len);
    tt += secs(len);
  }
  if (tt + secs(3) > s->end)
    s->end = tt + secs(3);
}

/* The twin's completed cycles at t, and whether it has the module loaded. */
static long twin_state(const struct sim *s, usec_t t, long *cursor, bool *loaded) {
  while (*cursor < s->o.twin && s->twin_unload[*cursor] <= t)
    (*cursor)++;
  *loaded = *cursor < s->o.twin && s->twin_load[*cursor] <= t;
  return *cursor;
}

/* ---- memory ---------------------------------------------------------------- */

/* Which lifetime runs at time t (-1: none), completed cycles in it, and
 * whether the module is loaded. */
static int state_at(const struct sim *s, usec_t t, long *cursor, long *done,
                    bool *loaded, long *lcursor, long *logons) {
  while (*cursor < s->o.cycles && s->unload_t[*cursor] <= t)
    (*cursor)++;
  while (*lcursor < s->nlogons && s->logon_e[*lcursor] <= t)
    (*lcursor)++;
  int life = -1;
  for (int l = 0; l < s->nlives; l++)
    if (t >= s->life_start[l] && t < s->life_end[l])
      life = l;
  *loaded = *cursor < s->o.cycles && s->load_t[*cursor] <= t;
  *done = life >= 0 ? *cursor - s->life_first[life] : 0;
  if (*done < 0)
    *done = 0;
  *logons = life >= 0 ? *lcursor - s->life_first_logon[life] : 0;
  if (*logons < 0)
    *logons = 0;
  return life;
}

struct noise {
  double e;
  long trim_left;
};

static double quantum(double v, double q) { return q * ceil(v / q); }

/* Private Bytes of mapitest at sample i (one of its lifetimes). */
static double private_bytes(struct sim *s, struct noise *nz, int life,
                            long done, long logons, bool loaded, usec_t t) {
  const struct opts *o = &s->o;
  double base = 42e6 + 3e6 * life;
  double warm = o->warmup * (1 - exp(-(double)done / o->warmup_tau));
  double hours = (double)(t - s->life_start[life]) / 3.6e9;
  nz->e = 0.8 * nz->e + o->noise * 0.6 * rng_normal(&s->rng);
  /* cycles of this lifetime inside (leak_from, leak_until], counted over
   * the whole run */
  double first = (double)s->life_first[life];
  double leaked = fmax(0, fmin(first + (double)done, o->leak_until) - fmax(first, o->leak_from));
  double v = base + o->leak * leaked + o->logon_leak * (double)logons + warm +
             o->growth * hours + nz->e +
             (loaded ? 1.5 * MiB : 0);
  v = o->top_pad ? quantum(v, 131072) : quantum(v, 4096);
  if (nz->trim_left > 0) {
    nz->trim_left--;
    v -= 24e6;
  }
  return v;
}

/* ---- writing ---------------------------------------------------------------- */

static FILE *open_out(const struct opts *o, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", o->dir, name);
  FILE *f = fopen(path, "wb");
  if (!f)
    fprintf(stderr, "gen-capture: %s: %s\n", path, strerror(errno));
  return f;
}

static int close_out(FILE *f, const char *name) {
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    fprintf(stderr, "gen-capture: %s: write error\n", name);
    return -1;
  }
  return 0;
}

enum { C_PID, C_PRIV, C_VIRT, C_WS, NCOUNTERS };
enum { I_TOTAL, I_TARGET, I_DECOY, I_TWIN, MAXINST };
static const char *const counter_names[NCOUNTERS] = {"ID Process", "Private Bytes",
                                                     "Virtual Bytes", "Working Set"};
static const char *const inst_names[MAXINST] = {"_Total", "mapitest", "store", "mapitest#1"};

static int write_counters(struct sim *s, size_t *samples) {
  FILE *f = open_out(&s->o, "counters.csv");
  if (!f)
    return -1;
  const int NINST = s->o.twin > 0 ? MAXINST : MAXINST - 1;
  char *paths[NCOUNTERS * MAXINST];
  for (int c = 0; c < NCOUNTERS; c++)
    for (int i = 0; i < NINST; i++)
      paths[c * NINST + i] = pdh_counter_path("EXCH01", "Process", inst_names[i], counter_names[c]);
  pdh_write_header(f, ZONE, BIAS, (const char *const *)paths, NCOUNTERS * NINST);
  for (int k = 0; k < NCOUNTERS * NINST; k++)
    free(paths[k]);

  /* Trims and spikes land on random samples after the first minute. */
  long nsamp = (long)((double)(s->end - s->o.start) / 1e6 / s->o.interval) + 1;
  struct noise nz = {0, 0}, tnz = {0, 0};
  long cursor = 0, tcursor = 0, lcursor = 0;
  for (long i = 0; i < nsamp; i++) {
    usec_t t = s->o.start + secs((double)i * s->o.interval) +
               (usec_t)(rng_uniform(&s->rng) * 30000) - 15000; /* +-15 ms */
    if (i == 0)
      t = s->o.start;
    long done, logons;
    bool loaded;
    int life = state_at(s, t, &cursor, &done, &loaded, &lcursor, &logons);
    uint64_t v[NCOUNTERS * MAXINST];
    bool present[NCOUNTERS * MAXINST];
    double hours = (double)(t - s->o.start) / 3.6e9;
    double priv = life >= 0 ? private_bytes(s, &nz, life, done, logons, loaded, t) : 0;
    if (life >= 0 && i > 60 && rng_uniform(&s->rng) < (double)s->o.trims / (double)nsamp)
      nz.trim_left = 1 + (long)rng_below(&s->rng, 3);
    if (life >= 0 && i > 60 && rng_uniform(&s->rng) < (double)s->o.spikes / (double)nsamp)
      priv += 300e6;
    double store = quantum(310e6 + 80e6 * hours + 200e3 * rng_normal(&s->rng), 4096);
    double tgt[NCOUNTERS] = {life >= 0 ? s->pid[life] : 0, priv,
                             quantum(priv + 180e6 + (loaded ? 6 * MiB : 0), 65536),
                             quantum(0.7 * priv + 30e6 + 1e5 * rng_normal(&s->rng), 4096)};
    double dec[NCOUNTERS] = {4120, store, quantum(store + 900e6, 65536),
                             quantum(0.5 * store, 4096)};
    double other[NCOUNTERS] = {0, 1.1e9, 2.2e10, 0.9e9};
    double twin[NCOUNTERS] = {0};
    if (s->o.twin > 0) {
      bool tloaded;
      long tdone = twin_state(s, t, &tcursor, &tloaded);
      tnz.e = 0.8 * tnz.e + s->o.noise * 0.6 * rng_normal(&s->rng);
      double tp = quantum(55e6 + s->o.twin_leak * (double)tdone + tnz.e +
                          (tloaded ? 1.5 * MiB : 0), 4096);
      twin[C_PID] = 9100;
      twin[C_PRIV] = tp;
      twin[C_VIRT] = quantum(tp + 180e6, 65536);
      twin[C_WS] = quantum(0.7 * tp + 30e6, 4096);
    }
    for (int c = 0; c < NCOUNTERS; c++) {
      v[c * NINST + I_TARGET] = (uint64_t)tgt[c];
      v[c * NINST + I_DECOY] = (uint64_t)dec[c];
      v[c * NINST + I_TOTAL] = c == C_PID ? 0 : (uint64_t)(tgt[c] + dec[c] + other[c] + twin[c]);
      present[c * NINST + I_TOTAL] = true;
      present[c * NINST + I_TARGET] = life >= 0;
      present[c * NINST + I_DECOY] = true;
      if (NINST > I_TWIN) {
        v[c * NINST + I_TWIN] = (uint64_t)twin[c];
        present[c * NINST + I_TWIN] = true;
      }
    }
    for (int k = 0; k < NCOUNTERS * NINST; k++)
      if (rng_uniform(&s->rng) < s->o.blank)
        present[k] = false;
    pdh_write_row(f, t - (usec_t)BIAS * USEC_PER_MIN, v, present, NCOUNTERS * NINST);
  }
  *samples = (size_t)nsamp;
  return close_out(f, "counters.csv");
}

static void add_event(struct sim *s, usec_t t, enum ev_kind kind, int pid,
                      const char *process, const char *module) {
  if (s->nev == s->capev) {
    s->capev = s->capev ? 2 * s->capev : 1024;
    s->ev = realloc(s->ev, s->capev * sizeof *s->ev);
    if (!s->ev)
      abort();
  }
  s->ev[s->nev++] = (struct event){t, kind, pid, process, module};
}

static int cmp_event(const void *a, const void *b) {
  const struct event *x = a, *y = b;
  if (x->t != y->t)
    return (x->t > y->t) - (x->t < y->t);
  return (x->pid > y->pid) - (x->pid < y->pid); /* qsort is not stable */
}

/* Every event, in time order: the cycles, other modules, the decoy. */
static void collect_events(struct sim *s) {
  static const char *const others[] = {"C:\\Windows\\System32\\kernel32.dll",
                                       "C:\\Windows\\System32\\msvcrt.dll"};
  add_event(s, s->o.start, EV_PRUNDOWN, 4120, "store.exe", "C:\\Exchsrvr\\bin\\store.exe");
  add_event(s, s->o.start + secs(0.5), EV_LOAD, 4120, "store.exe", MODULE_PATH);
  add_event(s, s->end - secs(1), EV_UNLOAD, 4120, "store.exe", MODULE_PATH);
  for (int l = 0; l < s->nlives; l++) {
    add_event(s, s->life_start[l], EV_PSTART, s->pid[l], "mapitest.exe",
              "C:\\Tools\\mapitest.exe -loop");
    if (l + 1 < s->nlives)
      add_event(s, s->life_end[l], EV_PEND, s->pid[l], "mapitest.exe",
                "C:\\Tools\\mapitest.exe -loop");
    for (int m = 0; m < 2; m++)
      add_event(s, s->life_start[l] + secs(0.1 * (m + 1)), EV_LOAD, s->pid[l],
                "mapitest.exe", others[m]);
  }
  for (long k = 0; k < s->o.cycles; k++) {
    int pid = s->pid[s->life[k]];
    add_event(s, s->load_t[k], EV_LOAD, pid, "mapitest.exe", MODULE_PATH);
    add_event(s, s->unload_t[k], EV_UNLOAD, pid, "mapitest.exe", MODULE_PATH);
  }
  for (long j = 0; j < s->nlogons; j++) {
    int pid = s->pid[0];
    for (int l = 1; l < s->nlives; l++)
      if (j >= s->life_first_logon[l])
        pid = s->pid[l];
    add_event(s, s->logon_b[j], EV_LOGON, pid, "mapitest.exe", "");
    add_event(s, s->logon_e[j], EV_LOGOFF, pid, "mapitest.exe", "");
  }
  if (s->o.twin > 0)
    add_event(s, s->o.start + secs(3.5), EV_PSTART, 9100, "mapitest.exe",
              "C:\\Tools\\mapitest.exe -loop -profile second");
  for (long k = 0; k < s->o.twin; k++) {
    add_event(s, s->twin_load[k], EV_LOAD, 9100, "mapitest.exe", MODULE_PATH);
    add_event(s, s->twin_unload[k], EV_UNLOAD, 9100, "mapitest.exe", MODULE_PATH);
  }
  qsort(s->ev, s->nev, sizeof *s->ev, cmp_event);
}

static int write_events(const struct sim *s) {
  FILE *f = open_out(&s->o, "events.csv");
  if (!f)
    return -1;
  char buf[TIME_UTC_BUFSZ];
  fputs("time,event,pid,process,module\n", f);
  for (size_t i = 0; i < s->nev; i++) {
    const struct event *e = &s->ev[i];
    static const char *const kind[] = {[EV_LOAD] = "load", [EV_UNLOAD] = "unload",
                                       [EV_LOGON] = "begin:logon", [EV_LOGOFF] = "end:logon"};
    if (e->kind != EV_LOAD && e->kind != EV_UNLOAD && e->kind != EV_LOGON &&
        e->kind != EV_LOGOFF)
      continue;
    fprintf(f, "%s,%s,%d,%s,%s\n", time_format_utc(e->t, buf), kind[e->kind], e->pid,
            e->process, e->module);
  }
  return close_out(f, "events.csv");
}

/* The NT form of a Win32 path (C:\ -> \Device\HarddiskVolume2\). */
static void nt_path(const char *p, char *out, size_t n) {
  snprintf(out, n, "\\Device\\HarddiskVolume2%s", p + 2);
}

/* The columns every tracerpt row shares, up to User Data. */
static void tracerpt_head(FILE *f, const char *name, const char *type, int ver,
                          int opcode, unsigned pid, long long ft) {
  fprintf(f, "%18s, %8s, %11d, %8d, %8d, %7d, %7d, %5d, 0x0000000000000000, "
             "0x%08X, 0x%08X, %17d, %12s, %20s, %13s, %21s, %20lld, %10d, %10d, ",
          name, type, 0, ver, 0, 0, opcode, 0, pid, 0xF50u, 0, "", "", "", "", ft, 0, 0);
}

static void tracerpt_row(FILE *f, const struct event *e) {
  if (e->kind >= EV_LOGON) /* the kernel trace has no logons */
    return;
  long long ft = (long long)(e->t * 10 + FILETIME_UNIX_EPOCH);
  unsigned pid = (unsigned)e->pid;
  if (e->kind >= EV_PSTART) { /* Process Start / DCStart / End */
    static const char *const type[] = {"Start", "DCStart", "End"};
    static const int opcode[] = {1, 3, 2};
    int k = e->kind - EV_PSTART;
    tracerpt_head(f, "Process", type[k], 3, opcode[k], k == 1 ? 0 : pid, ft);
    fprintf(f, "0xFFFFA0012345A080, 0x%08X, 0x000003E8, 1, 0, 0x0000000000000000, "
               "\"%s\", \"%s\"\r\n", pid, e->process, e->module);
    if (k == 2)
      return;
    /* As in a real kernel trace, the program's own image is mapped (Load)
     * or listed at rundown (DCStart) before any library: readers name
     * the process after it. */
    char exe[512], nt_exe[600];
    snprintf(exe, sizeof exe, "C:\\Program Files\\Exchsrvr\\bin\\%s", e->process);
    nt_path(exe, nt_exe, sizeof nt_exe);
    tracerpt_head(f, "Image", k == 0 ? "Load" : "DCStart", 2, k == 0 ? 10 : 3, pid, ft);
    fprintf(f, "0x0000000000400000, 0x00010000, 0x%08X, 0x00012345, 1130000000, 0, "
               "0x0000000000400000, 0, 0, 0, 0, \"%s\"\r\n", pid, nt_exe);
    return;
  }
  char nt[512];
  nt_path(e->module, nt, sizeof nt);
  /* Loads run on the process's thread; unloads are often logged by the
   * System process (PID 4): the owner is the ProcessId in the tail. */
  bool load = e->kind == EV_LOAD;
  tracerpt_head(f, "Image", load ? "Load" : "Unload", 2, load ? 10 : 2,
                load ? pid : 4u, ft);
  fprintf(f, "0x000000006A200000, 0x0009C000, 0x%08X, 0x000A1B2C, 1130000000, 0, "
             "0x000000006A200000, 0, 0, 0, 0, \"%s\"\r\n", pid, nt);
}

static int write_tracerpt(const struct sim *s) {
  FILE *f = open_out(&s->o, "tracerpt.csv");
  if (!f)
    return -1;
  fputs("Event Name,           Type,    Event ID,  Version,  Channel,   Level,  "
        "Opcode,  Task,             Keyword,        PID,        TID,  Processor "
        "Number,  Instance ID,  Parent Instance ID,   Activity ID,   Related "
        "Activity ID,           Clock-Time, Kernel(ms),   User(ms), User Data\r\n", f);
  for (size_t i = 0; i < s->nev; i++)
    tracerpt_row(f, &s->ev[i]);
  return close_out(f, "tracerpt.csv");
}

/* Procmon's columns, in its default order, and the Date & Time column the
 * readers date the rows by: US dates and 12-hour times, local time. */
static int write_procmon(const struct sim *s) {
  FILE *f = open_out(&s->o, "procmon.csv");
  if (!f)
    return -1;
  fputs("\xEF\xBB\xBF\"Time of Day\",\"Process Name\",\"PID\",\"Operation\",\"Path\","
        "\"Result\",\"Detail\",\"Date & Time\"\r\n", f);
  for (size_t i = 0; i < s->nev; i++) {
    const struct event *e = &s->ev[i];
    if (e->kind != EV_LOAD)
      continue;
    usec_t local = e->t - (usec_t)BIAS * USEC_PER_MIN;
    int64_t y;
    unsigned mo, d;
    usec_t day = local >= 0 ? local / USEC_PER_DAY : -((-local - 1) / USEC_PER_DAY) - 1;
    civil_from_days(day, &y, &mo, &d);
    usec_t in_day = local - day * USEC_PER_DAY;
    int h = (int)(in_day / USEC_PER_HOUR), mi = (int)(in_day / USEC_PER_MIN % 60);
    int sec = (int)(in_day / USEC_PER_SEC % 60);
    long frac7 = (long)(in_day % USEC_PER_SEC) * 10;
    int h12 = h % 12 == 0 ? 12 : h % 12;
    const char *ampm = h < 12 ? "AM" : "PM";
    fprintf(f, "\"%d:%02d:%02d.%07ld %s\",\"%s\",\"%d\",\"Load Image\",\"%s\",\"SUCCESS\","
               "\"Image Base: 0x6a200000, Image Size: 0x9c000\","
               "\"%u/%u/%lld %d:%02d:%02d %s\"\r\n",
            h12, mi, sec, frac7, ampm, e->process, e->pid, e->module, mo, d, (long long)y,
            h12, mi, sec, ampm);
  }
  return close_out(f, "procmon.csv");
}

/* Sysmon event 7 (Image loaded), one record a line, as wevtutil writes. */
static int write_sysmon(const struct sim *s) {
  FILE *f = open_out(&s->o, "sysmon.xml");
  if (!f)
    return -1;
  char buf[TIME_UTC_BUFSZ];
  for (size_t i = 0; i < s->nev; i++) {
    const struct event *e = &s->ev[i];
    if (e->kind != EV_LOAD)
      continue;
    time_format_utc(e->t, buf);
    fprintf(f, "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
               "<Provider Name='Microsoft-Windows-Sysmon' "
               "Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>7</EventID>"
               "<TimeCreated SystemTime='%s'/><EventRecordID>%zu</EventRecordID>"
               "<Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
               "<Computer>EXCH01</Computer></System><EventData>"
               "<Data Name='RuleName'>-</Data><Data Name='UtcTime'>%.10s %.12s</Data>"
               "<Data Name='ProcessId'>%d</Data>"
               "<Data Name='Image'>C:\\Tools\\%s</Data><Data Name='ImageLoaded'>%s</Data>"
               "<Data Name='FileVersion'>6.5.7233.46</Data></EventData></Event>\r\n",
            buf, i + 1, buf, buf + 11, e->pid, e->process, e->module);
  }
  return close_out(f, "sysmon.xml");
}

static int write_xperf(const struct sim *s) {
  FILE *f = open_out(&s->o, "xperf.txt");
  if (!f)
    return -1;
  static const char *const cols = "TimeStamp,     Process Name ( PID),           "
                                  "ImageBase,             ImageEnd,  ImageCheckSum, "
                                  "TimeDateStamp,         DefaultBase, FileName";
  fprintf(f, "BeginHeader\n");
  fprintf(f, "              P-Start,  TimeStamp,     Process Name ( PID),  ParentPID,  "
             "SessionID,  UniqueKey, UserSid, Command Line\n");
  fprintf(f, "              I-Start,  %s\n                I-End,  %s\n", cols, cols);
  fprintf(f, "            I-DCStart,  %s\n              I-DCEnd,  %s\n", cols, cols);
  fprintf(f, "EndHeader\n");
  usec_t t0 = s->o.start;
  fprintf(f, "OS Version: 10.0.19045, Trace Size: 13952KB, Events Lost: 0, "
             "Buffers lost: 0, Trace Start: %lld, Trace Length: %lld sec, "
             "PointerSize: 8, Trace Name: mapi.etl\n",
          (long long)(t0 * 10 + FILETIME_UNIX_EPOCH),
          (long long)((s->end - t0) / USEC_PER_SEC + 1));
  char nt[512];
  for (size_t i = 0; i < s->nev; i++) {
    const struct event *e = &s->ev[i];
    if (e->kind != EV_LOAD && e->kind != EV_UNLOAD)
      continue;
    nt_path(e->module, nt, sizeof nt);
    char proc[64];
    snprintf(proc, sizeof proc, "%s (%4d)", e->process, e->pid);
    fprintf(f, "%21s, %10lld, %27s, 0x000000006a200000, 0x000000006a29c000, "
               "0x000a1b2c, 0x4359cc3d, 0x000000006a200000, \"%s\"\n",
            e->kind == EV_LOAD ? "I-Start" : "I-End", (long long)(e->t - t0), proc, nt);
  }
  return close_out(f, "xperf.txt");
}

static int write_truth(const struct sim *s, size_t samples) {
  FILE *f = open_out(&s->o, "truth.txt");
  if (!f)
    return -1;
  const struct opts *o = &s->o;
  /* The leak at the end of the run, which the verdict is about. */
  double final = (double)o->cycles > o->leak_until ? 0 : o->leak;
  bool leaks = final > 64;
  fprintf(f, "scenario=%s\nseed=%llu\nleak_bytes_per_cycle=%.17g\n",
          o->scenario ? o->scenario : "custom", (unsigned long long)o->seed, o->leak);
  fprintf(f, "time_growth_bytes_per_hour=%.17g\ncycles=%ld\nlifetimes=%d\n",
          o->growth, o->cycles, s->nlives);
  fprintf(f, "pids=");
  for (int l = 0; l < s->nlives; l++)
    fprintf(f, "%s%d", l ? "," : "", s->pid[l]);
  fprintf(f, "\nsamples=%zu\ninterval_seconds=%.17g\ncycle_period_seconds=%.17g\n",
          samples, o->interval, o->period);
  fprintf(f, "warmup_bytes=%.17g\nwarmup_tau_cycles=%.17g\n", o->warmup, o->warmup_tau);
  fprintf(f, "varying_rate=%s\ntop_pad=%s\ntrims=%d\nspikes=%d\n",
          o->varying ? "true" : "false", o->top_pad ? "true" : "false", o->trims, o->spikes);
  fprintf(f, "bias_minutes=%d\nprocess=mapitest\nmodule=mapi32.dll\ndecoy=store\n", BIAS);
  fprintf(f, "twin_cycles=%ld\ntwin_pid=9100\ntwin_leak_bytes_per_cycle=%.17g\n", o->twin,
          o->twin_leak);
  fprintf(f, "leak_from_cycle=%.17g\nleak_until_cycle=%.17g\n", o->leak_from,
          isinf(o->leak_until) ? -1 : o->leak_until);
  fprintf(f, "final_leak_bytes_per_cycle=%.17g\n", final);
  fprintf(f, "logons=%ld\nlogon_leak_bytes_per_cycle=%.17g\nlogon_tied=%s\n", s->nlogons,
          o->logon_leak, o->logon_tied ? "true" : "false");
  fprintf(f, "expected_verdict=%s\n", leaks ? "leak" : "no-leak");
  fprintf(f, "expected_separable=%s\n",
          o->growth > 0 ? (o->varying ? "true" : "false") : "any");
  return close_out(f, "truth.txt");
}

/* ---- options ------------------------------------------------------------------ */

static int usage(const char *msg) {
  fprintf(stderr, "gen-capture: %s\nUsage: gen-capture [-s SCENARIO] [OPTIONS] DIR "
                  "(see the top of tests/gen/gen-capture.c)\n", msg);
  return 2;
}

static int number(const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !isfinite(v) || v < 0)
    return -1;
  *out = v;
  return 0;
}

static const struct option longopts[] = {
    {"scenario", required_argument, 0, 's'}, {"cycles", required_argument, 0, 'n'},
    {"leak", required_argument, 0, 'l'},     {"cycle-period", required_argument, 0, 'p'},
    {"interval", required_argument, 0, 'i'}, {"warmup", required_argument, 0, 'w'},
    {"warmup-tau", required_argument, 0, 'W'}, {"growth", required_argument, 0, 'g'},
    {"varying-rate", no_argument, 0, 'r'},   {"restart-at", required_argument, 0, 'R'},
    {"trims", required_argument, 0, 't'},    {"spikes", required_argument, 0, 'k'},
    {"top-pad", no_argument, 0, 'P'},        {"noise", required_argument, 0, 'e'},
    {"blank-rate", required_argument, 0, 'b'}, {"seed", required_argument, 0, 'S'},
    {"start", required_argument, 0, 'T'},    {"tracerpt", no_argument, 0, 'C'},
    {"xperf", no_argument, 0, 'X'},          {"help", no_argument, 0, 'h'},
    {"procmon", no_argument, 0, 'O'},        {"sysmon", no_argument, 0, 'Y'},
    {"logon-rate", required_argument, 0, 'G'}, {"logon-leak", required_argument, 0, 'K'},
    {"logon-tied", no_argument, 0, 'J'},
    {"twin", required_argument, 0, 'M'},     {"twin-leak", required_argument, 0, 'L'},
    {"leak-from", required_argument, 0, 'F'}, {"leak-until", required_argument, 0, 'U'},
    {0, 0, 0, 0}};

/* One option into o; -1 on a bad value. */
static int apply(struct opts *o, int c, const char *arg) {
  double v = 0;
  bool zone;
  size_t off;
  if (strchr("nlpiwWgRtkebSMLFUGK", c) && number(arg[0] == '-' && c == 'l' ? arg + 1 : arg, &v) != 0)
    return -1;
  if (c == 'l' && arg[0] == '-') /* a shrinking process: a negative leak */
    v = -v;
  switch (c) {
  case 's': return scenario(o, arg);
  case 'n': o->cycles = (long)v; return v >= 1 && v <= 1e7 ? 0 : -1;
  case 'l': o->leak = v; return 0;
  case 'p': o->period = v; return v > 0 ? 0 : -1;
  case 'i': o->interval = v; return v >= 0.001 ? 0 : -1;
  case 'w': o->warmup = v; return 0;
  case 'W': o->warmup_tau = v; return v > 0 ? 0 : -1;
  case 'g': o->growth = v; return 0;
  case 'r': o->varying = true; return 0;
  case 'R':
    if (o->nrestarts >= MAX_RESTARTS || v < 1)
      return -1;
    o->restart_at[o->nrestarts++] = (long)v;
    return 0;
  case 't': o->trims = (int)v; return v <= 1000 ? 0 : -1;
  case 'k': o->spikes = (int)v; return v <= 1000 ? 0 : -1;
  case 'P': o->top_pad = true; return 0;
  case 'e': o->noise = v; return 0;
  case 'b': o->blank = v; return v <= 1 ? 0 : -1;
  case 'S': o->seed = (uint64_t)v; return 0;
  case 'T': return time_parse_iso(arg, strlen(arg), &o->start, &zone, &off);
  case 'C': o->tracerpt = true; return 0;
  case 'X': o->xperf = true; return 0;
  case 'O': o->procmon = true; return 0;
  case 'Y': o->sysmon = true; return 0;
  case 'G': o->logon_rate = v; return v <= 0.57 ? 0 : -1; /* 1.75 P <= 1 */
  case 'K': o->logon_leak = v; return 0;
  case 'J': o->logon_tied = true; return 0;
  case 'M': o->twin = (long)v; return v <= 1e7 ? 0 : -1;
  case 'L': o->twin_leak = v; return 0;
  case 'F': o->leak_from = v; return v < o->leak_until ? 0 : -1;
  case 'U': o->leak_until = v; return v > o->leak_from ? 0 : -1;
  }
  return -1;
}

static int parse(int argc, char **argv, struct opts *o) {
  defaults(o);
  int c;
  while ((c = getopt_long(argc, argv, "s:n:l:p:i:w:g:rR:t:k:Pe:b:S:T:h", longopts, NULL)) != -1) {
    if (c == 'h') {
      printf("Usage: gen-capture [-s SCENARIO] [OPTIONS] DIR\n"
             "Scenarios: clean fast sparse warmup warmup-noleak time time-leak "
             "steady-time restarts outliers pages noleak.\n"
             "Options and outputs: see the top of tests/gen/gen-capture.c.\n");
      return 1;
    }
    if (c == '?' || apply(o, c, optarg) != 0)
      return c == '?' ? -1 : (usage("bad option value"), -2);
  }
  if (optind + 1 != argc)
    return usage("one output folder expected"), -2;
  o->dir = argv[optind];
  return 0;
}

int main(int argc, char **argv) {
  struct sim s;
  memset(&s, 0, sizeof s);
  int rc = parse(argc, argv, &s.o);
  if (rc == 1)
    return 0;
  if (rc == -1)
    return usage("unknown option");
  if (rc < 0)
    return 2;
  if (mkdir(s.o.dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "gen-capture: %s: %s\n", s.o.dir, strerror(errno));
    return 73;
  }
  rng_seed(&s.rng, s.o.seed);
  timeline(&s);
  collect_events(&s);
  size_t samples = 0;
  rc = write_counters(&s, &samples) | write_events(&s) | write_truth(&s, samples);
  if (s.o.tracerpt)
    rc |= write_tracerpt(&s);
  if (s.o.xperf)
    rc |= write_xperf(&s);
  if (s.o.procmon)
    rc |= write_procmon(&s);
  if (s.o.sysmon)
    rc |= write_sysmon(&s);
  free(s.load_t);
  free(s.unload_t);
  free(s.life);
  free(s.ev);
  free(s.twin_load);
  free(s.logon_b);
  free(s.logon_e);
  free(s.twin_unload);
  return rc ? 73 : 0;
}
