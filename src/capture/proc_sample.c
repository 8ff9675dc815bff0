/* proc_sample — a process's memory figures read from /proc (see
 * proc_sample.h for what each figure means and why). */
#include "config.h"
#include "capture/proc_sample.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "START-END PERMS ..." -> size when PERMS is writable and private. */
static int maps_line(const char *line, uint64_t *size, bool *counted) {
  char *end;
  errno = 0;
  unsigned long long lo = strtoull(line, &end, 16);
  if (end == line || *end != '-' || errno)
    return -1;
  const char *p = end + 1;
  unsigned long long hi = strtoull(p, &end, 16);
  if (end == p || *end != ' ' || errno || hi < lo)
    return -1;
  const char *perms = end + 1;
  if (strlen(perms) < 4 || (perms[4] != ' ' && perms[4] != '\n' && perms[4]))
    return -1;
  *counted = perms[1] == 'w' && perms[3] == 'p';
  *size = hi - lo;
  return 0;
}

int proc_maps_private_writable(FILE *maps, uint64_t *sum, size_t *mappings) {
  char *line = NULL;
  size_t cap = 0;
  int rc = 0;
  *sum = 0;
  *mappings = 0;
  while (getline(&line, &cap, maps) > 0) {
    uint64_t size;
    bool counted;
    if (maps_line(line, &size, &counted) != 0) {
      rc = -1;
      break;
    }
    (*mappings)++;
    if (counted)
      *sum += size;
  }
  free(line);
  return rc;
}

/* "Key:   123 kB" -> bytes, when line starts with key. */
static bool status_kb(const char *line, const char *key, uint64_t *out) {
  size_t n = strlen(key);
  if (strncmp(line, key, n) != 0)
    return false;
  char *end;
  errno = 0;
  unsigned long long kb = strtoull(line + n, &end, 10);
  if (end == line + n || errno || strncmp(end, " kB", 3) != 0)
    return false;
  *out = (uint64_t)kb * 1024u;
  return true;
}

int proc_status_memory(FILE *status, uint64_t *vm_size, uint64_t *vm_rss) {
  char *line = NULL;
  size_t cap = 0;
  bool have_size = false, have_rss = false;
  while (getline(&line, &cap, status) > 0) {
    have_size = have_size || status_kb(line, "VmSize:", vm_size);
    have_rss = have_rss || status_kb(line, "VmRSS:", vm_rss);
  }
  free(line);
  return have_size && have_rss ? 0 : -1;
}

long proc_count_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return -1;
  long n = 0;
  const struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      n++;
  closedir(d);
  return n;
}

static FILE *open_proc(pid_t pid, const char *what) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, what);
  return fopen(path, "re");
}

int proc_sample_read(pid_t pid, struct proc_sample *out) {
  memset(out, 0, sizeof *out);
  FILE *f = open_proc(pid, "status");
  if (!f)
    return -1;
  int rc = proc_status_memory(f, &out->virtual_bytes, &out->working_set);
  fclose(f);
  if (rc != 0)
    return -1;
  f = open_proc(pid, "maps");
  if (!f)
    return -1;
  size_t mappings;
  rc = proc_maps_private_writable(f, &out->private_bytes, &mappings);
  fclose(f);
  /* An exiting process can show its status a moment after its maps
   * emptied: no mapping at all is no sample. */
  if (rc != 0 || mappings == 0)
    return -1;
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
  long fds = proc_count_dir(path);
  out->has_handles = fds >= 0;
  out->handle_count = fds >= 0 ? (uint64_t)fds : 0;
  return 0;
}
