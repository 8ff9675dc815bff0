/* proc_sample — one sample of a Linux process's memory and handles, read
 * from outside it through /proc, in the terms perfmon uses for a Windows
 * process (capture writes them as `Process(NAME)\...` counters):
 *
 *   Private Bytes  summed size of the writable private mappings in
 *                  /proc/PID/maps (what `pmap -d` calls writeable/private):
 *                  the memory commit accounting charges, touched or not,
 *                  which is what Windows' Private Bytes counts. Each thread
 *                  adds its stack here: growth from new threads is no leak.
 *   Virtual Bytes  VmSize of /proc/PID/status
 *   Working Set    VmRSS of /proc/PID/status
 *   Handle Count   entries of /proc/PID/fd
 *
 * The parsers take a FILE so they can be tested on saved copies. */
#ifndef LEAKSLOPE_PROC_SAMPLE_H
#define LEAKSLOPE_PROC_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct proc_sample {
  uint64_t private_bytes;
  uint64_t virtual_bytes;
  uint64_t working_set;
  uint64_t handle_count;
  bool has_handles; /* false when /proc/PID/fd could not be read */
};

/* Sum of (end - start) over the mappings of a maps file whose permissions
 * are writable and private ("rw-p", "-w-p", "rwxp"). Returns 0, or -1 when
 * a line does not have the maps layout. *mappings counts all lines. */
int proc_maps_private_writable(FILE *maps, uint64_t *sum, size_t *mappings);

/* VmSize and VmRSS (in bytes) from a status file. Returns 0 when both were
 * present, -1 when not (a zombie has neither). */
int proc_status_memory(FILE *status, uint64_t *vm_size, uint64_t *vm_rss);

/* Number of entries (not "." or "..") in a folder; -1 when unreadable. */
long proc_count_dir(const char *path);

/* Read one sample of pid. Returns 0, or -1 when the process is gone or has
 * no memory any more (exited, a zombie): then the sample is not a sample. */
int proc_sample_read(pid_t pid, struct proc_sample *out);

#endif
