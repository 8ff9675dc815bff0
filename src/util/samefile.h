/* samefile — whether two paths name one input twice: the same file (one
 * device and inode: the same path, a symlink, a hard link) or a copy (two
 * regular files of the same bytes). The counter-log readers merge every log
 * they are given, so a log given twice would count each sample twice; the
 * commands ask here first. */
#ifndef LEAKSLOPE_SAMEFILE_H
#define LEAKSLOPE_SAMEFILE_H

enum samefile {
  SAMEFILE_NO,   /* two files (or one that cannot be read: its reader says so) */
  SAMEFILE_SAME, /* one file */
  SAMEFILE_COPY  /* two files with the same bytes */
};

/* "-" (standard input) is never the same as anything here: reading it twice
 * is refused elsewhere. Reads both files only when their sizes agree, and
 * stops at the first byte that differs. */
enum samefile samefile(const char *a, const char *b);

#endif
