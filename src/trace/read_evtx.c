/* read_evtx — Sysmon's own log file (Microsoft-Windows-Sysmon%4Operational.evtx),
 * read natively through libevtx.
 *
 * An .evtx is binary (a file header, then 64 KiB chunks of records in binary
 * XML), recognised by its "ElfFile\0" signature in the raw bytes. libevtx
 * turns each record into Event XML, which goes as it is through the Sysmon
 * XML mapping (sysmon.h), so an image load from an .evtx is exactly the
 * event its `wevtutil qe /f:xml` export gives; only Microsoft-Windows-Sysmon
 * event 7 counts, other providers and events are passed over. Events and
 * errors are placed by EventRecordID ("record N"), not by a line.
 *
 * libevtx opens files by name only, so standard input and gzip-compressed
 * logs are refused with a hint (pass the uncompressed file by name). Memory:
 * libevtx's chunk cache plus one record's XML. Built without libevtx, the
 * file is still recognised and refused with the ways to export it as XML. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBEVTX
#include <libevtx.h>
#endif

#include "input/input.h"
#include "trace/sysmon.h"
#include "trace/trace.h"

#define EVTX_SIGNATURE "ElfFile"          /* and a NUL: 8 bytes */
#define EXPECTED "a Windows XML event log such as Microsoft-Windows-Sysmon%4Operational.evtx expected"

static int sniff_raw(const unsigned char *bytes, size_t len) {
  return len >= 8 && memcmp(bytes, EVTX_SIGNATURE, 8) == 0 ? 100 : 0;
}

#ifdef HAVE_LIBEVTX

struct evtx {
  struct trace_ctx *ctx;
  libevtx_file_t *file;
  int records, next;    /* records in the file, index of the next to read */
  char *xml;            /* the XML of the record being handed over */
  size_t len, cap, pos; /* its length, the buffer's size, bytes handed over */
  uint64_t id;          /* its EventRecordID, for XML errors */
  struct sysmon_xml *sm;
};

/* libevtx's reason in a message: the first line of its backtrace is the
 * innermost cause ("libevtx_io_handle_read_file_header: unable to read file
 * header."), shown without the function name and the full stop. */
static int evtx_fail(struct evtx *e, libevtx_error_t **err, const char *what,
                     struct diag *d) {
  char buf[512] = "";
  if (*err)
    libevtx_error_backtrace_sprint(*err, buf, sizeof buf);
  libevtx_error_free(err);
  buf[strcspn(buf, "\n")] = 0;
  const char *why = strstr(buf, ": ");
  why = why ? why + 2 : buf;
  size_t n = strlen(why);
  while (n > 0 && (why[n - 1] == '.' || why[n - 1] == ' '))
    n--;
  if (n == 0)
    return diag_set(d, DIAG_DATA, e->ctx->file, 0, 0, "%s (%s)", what, EXPECTED);
  return diag_set(d, DIAG_DATA, e->ctx->file, 0, 0, "%s: libevtx: %.*s (%s)",
                  what, (int)n, why, EXPECTED);
}

/* Fetch record e->next's XML into e->xml, ending in a newline. */
static int load_record(struct evtx *e, struct diag *d) {
  libevtx_error_t *err = NULL;
  libevtx_record_t *rec = NULL;
  size_t size = 0;
  int index = e->next++;
  char what[64];
  snprintf(what, sizeof what, "cannot read record %d of the log", index + 1);
  if (libevtx_file_get_record_by_index(e->file, index, &rec, &err) != 1 ||
      libevtx_record_get_identifier(rec, &e->id, &err) != 1 ||
      libevtx_record_get_utf8_xml_string_size(rec, &size, &err) != 1) {
    libevtx_record_free(&rec, NULL);
    return evtx_fail(e, &err, what, d);
  }
  if (size + 2 > e->cap) {
    e->cap = size + 2;
    e->xml = xrealloc(e->xml, e->cap);
  }
  e->xml[0] = 0;
  if (size > 0 && libevtx_record_get_utf8_xml_string(
                      rec, (uint8_t *)e->xml, size, &err) != 1) {
    libevtx_record_free(&rec, NULL);
    return evtx_fail(e, &err, what, d);
  }
  libevtx_record_free(&rec, NULL);
  e->len = strnlen(e->xml, size);
  if (e->len == 0 || e->xml[e->len - 1] != '\n')
    e->xml[e->len++] = '\n';
  e->pos = 0;
  return 0;
}

/* The xmlstream source: the records' XML one after the other; one call
 * never crosses from one record into the next. */
static long evtx_read(void *rctx, char *buf, size_t cap, struct diag *d) {
  struct evtx *e = rctx;
  while (e->pos == e->len) {
    if (e->next == e->records)
      return 0;
    if (load_record(e, d) < 0)
      return -1;
  }
  size_t n = e->len - e->pos;
  if (n > cap)
    n = cap;
  memcpy(buf, e->xml + e->pos, n);
  e->pos += n;
  return (long)n;
}

static void evtx_close(void *state) {
  struct evtx *e = state;
  if (!e)
    return;
  sysmon_xml_free(e->sm);
  if (e->file) {
    libevtx_file_close(e->file, NULL);
    libevtx_file_free(&e->file, NULL);
  }
  free(e->xml);
  free(e);
}

static int open_log(struct evtx *e, struct diag *d) {
  libevtx_error_t *err = NULL;
  if (libevtx_file_initialize(&e->file, &err) != 1)
    return evtx_fail(e, &err, "cannot start libevtx", d);
  if (libevtx_file_open(e->file, e->ctx->file, LIBEVTX_OPEN_READ, &err) != 1) {
    libevtx_file_free(&e->file, NULL);
    return evtx_fail(e, &err, "not a readable .evtx event log", d);
  }
  if (libevtx_file_get_number_of_records(e->file, &e->records, &err) != 1)
    return evtx_fail(e, &err, "cannot count the log's records", d);
  int corrupted = libevtx_file_is_corrupted(e->file, &err);
  libevtx_error_free(&err);
  if (corrupted == 1)
    warnings_add(e->ctx->w, "evtx-corrupted", e->ctx->file, 0,
                 "libevtx marks the log as corrupted; reading the %d records "
                 "it can (a chunk may be missing or damaged)", e->records);
  return 0;
}

static void *evtx_open(struct trace_ctx *ctx, struct diag *d) {
  if (input_is_stdin(ctx->in)) {
    diag_set(d, DIAG_DATA, ctx->file, 0, 0,
             "an .evtx event log cannot be read from standard input (pass "
             "the .evtx file by name: libevtx reads files by name only)");
    return NULL;
  }
  if (input_compressed(ctx->in)) {
    diag_set(d, DIAG_DATA, ctx->file, 0, 0,
             "a compressed .evtx event log (decompress it and pass the .evtx "
             "file by name: libevtx reads uncompressed files only)");
    return NULL;
  }
  struct evtx *e = xcalloc(1, sizeof *e);
  e->ctx = ctx;
  if (open_log(e, d) < 0 ||
      !(e->sm = sysmon_xml_new(ctx, evtx_read, e, true, d))) {
    evtx_close(e);
    return NULL;
  }
  return e;
}

static int evtx_next(void *state, struct trace_event *ev, struct diag *d) {
  struct evtx *e = state;
  int rc = sysmon_xml_next(e->sm, ev, d);
  if (rc < 0 && d->line > 0) {
    /* An XML error in the text libevtx made: place it by record. */
    char *msg = xstrdup(d->message ? d->message : "");
    diag_set(d, DIAG_DATA, e->ctx->file, 0, 0,
             "record %llu: libevtx's XML of it does not parse: %s",
             (unsigned long long)e->id, msg);
    free(msg);
  }
  return rc;
}

#else /* !HAVE_LIBEVTX */

static void *evtx_open(struct trace_ctx *ctx, struct diag *d) {
  diag_set(d, DIAG_DATA, ctx->file, 0, 0,
           "a Windows .evtx event log, and this leakslope was built without "
           "libevtx (export it as XML and read that: wevtutil qe FILE /lf:true "
           "/f:xml > FILE.xml on Windows, or evtxexport -f xml FILE > FILE.xml "
           "from libevtx-utils; or rebuild with libevtx-dev installed)");
  return NULL;
}

static int evtx_next(void *state, struct trace_event *ev, struct diag *d) {
  (void)state;
  (void)ev;
  return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "evtx reader without libevtx");
}

static void evtx_close(void *state) { (void)state; }

#endif

const struct trace_format trace_format_sysmon_evtx = {
    .name = "sysmon-evtx",
    .summary = "Sysmon event 7 (Image loaded) from Sysmon's own .evtx log "
               "(read through libevtx)",
    .loads_only = true,
    .sniff_raw = sniff_raw,
    .open = evtx_open,
    .next = evtx_next,
    .close = evtx_close,
};
