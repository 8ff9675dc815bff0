/* evtxml — see evtxml.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "input/xmlpaste.h"
#include "input/xmlstream.h"
#include "trace/evtxml.h"

struct evtxml {
  struct xmlpaste *paste; /* Event Viewer's fold markers, in front of expat */
  struct xmlstream *xs;
  evtxml_element_fn element;
  void *element_ctx;
  struct evtxml_record *queue; /* records completed in the current chunk */
  size_t qhead, qcount, qcap;
  struct evtxml_record *cur;   /* inside an <Event>, else NULL */
  int depth;                   /* element depth inside the current <Event> */
  enum evtxml_section section;
  int capture;                 /* field the text goes to, or -1 */
  bool done;
};

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void evtxml_record_init(struct evtxml_record *r) {
  memset(r, 0, sizeof *r);
  for (int i = 0; i < EVTXML_FIELDS; i++)
    strbuf_init(&r->f[i].s);
}

void evtxml_record_fini(struct evtxml_record *r) {
  for (int i = 0; i < EVTXML_FIELDS; i++)
    strbuf_fini(&r->f[i].s);
}

void evtxml_record_reset(struct evtxml_record *r, long line, long col) {
  for (int i = 0; i < EVTXML_FIELDS; i++) {
    strbuf_reset(&r->f[i].s);
    r->f[i].seen = false;
  }
  r->line = line;
  r->col = col;
}

void evtxml_set(struct evtxml_record *r, int which, const char *s, size_t n,
                long line, long col) {
  struct evtxml_field *f = &r->f[which];
  strbuf_reset(&f->s);
  strbuf_add(&f->s, s, n < EVTXML_FIELD_MAX ? n : EVTXML_FIELD_MAX);
  f->seen = true;
  f->line = line;
  f->col = col;
}

void evtxml_set_attr(struct evtxml_record *r, int which,
                     const struct evtxml_tag *tag, const char *attr) {
  const char *v = xmlstream_attr(tag->attrs, attr);
  if (v)
    evtxml_set(r, which, v, strlen(v), tag->line, tag->col);
}

const char *evtxml_get(const struct evtxml_record *r, int which, size_t *n) {
  const struct evtxml_field *f = &r->f[which];
  const char *s = f->seen && f->s.data ? f->s.data : "";
  size_t len = f->seen ? f->s.len : 0;
  while (len > 0 && is_space(*s)) {
    s++;
    len--;
  }
  while (len > 0 && is_space(s[len - 1]))
    len--;
  *n = len;
  return s;
}

/* Only called between events (x->cur NULL), so growing the queue moves no
 * record that a pointer still refers to. */
static struct evtxml_record *queue_push(struct evtxml *x) {
  if (x->qcount == x->qcap) {
    size_t cap = x->qcap ? x->qcap * 2 : 16;
    x->queue = xreallocarray(x->queue, cap, sizeof *x->queue);
    for (size_t i = x->qcap; i < cap; i++)
      evtxml_record_init(&x->queue[i]);
    x->qcap = cap;
  }
  return &x->queue[x->qcount++];
}

static void on_start(void *ctx, const char *name, const char **attrs) {
  struct evtxml *x = ctx;
  long line, col;
  xmlstream_position(x->xs, &line, &col);
  if (!x->cur) {
    if (strcmp(name, "Event") == 0) {
      x->cur = queue_push(x);
      evtxml_record_reset(x->cur, line, col);
      x->depth = 0;
    }
    return;
  }
  x->depth++;
  if (x->depth == 1)
    x->section = strcmp(name, "System") == 0 ? EVTXML_SYSTEM
                 : strcmp(name, "EventData") == 0 || strcmp(name, "UserData") == 0
                     ? EVTXML_DATA
                     : EVTXML_OTHER;
  struct evtxml_tag tag = {name, attrs, x->depth, x->section, line, col};
  x->capture = x->element(x->element_ctx, x->cur, &tag);
  if (x->capture >= 0)
    evtxml_set(x->cur, x->capture, "", 0, line, col);
}

static void on_end(void *ctx, const char *name) {
  struct evtxml *x = ctx;
  (void)name;
  if (!x->cur)
    return;
  x->capture = -1;
  if (x->depth-- == 0)
    x->cur = NULL;
}

static void on_text(void *ctx, const char *s, size_t len) {
  struct evtxml *x = ctx;
  if (x->capture >= 0 && x->cur->f[x->capture].s.len < EVTXML_FIELD_MAX)
    strbuf_add(&x->cur->f[x->capture].s, s, len);
}

/* Drop the handed-out records, keeping the one being filled (the last): it
 * moves to the front and is handed out once its end tag has been seen. */
static void queue_compact(struct evtxml *x) {
  if (x->cur && x->qcount > 0) {
    struct evtxml_record tmp = x->queue[0];
    x->queue[0] = x->queue[x->qcount - 1];
    x->queue[x->qcount - 1] = tmp;
    x->cur = &x->queue[0];
    x->qcount = 1;
  } else {
    x->qcount = 0;
  }
  x->qhead = 0;
}

int evtxml_next(struct evtxml *x, struct evtxml_record **r, struct diag *d) {
  for (;;) {
    /* The last record is still being filled while x->cur is set. */
    if (x->qhead < x->qcount - (x->cur ? 1 : 0)) {
      *r = &x->queue[x->qhead++];
      return 1;
    }
    queue_compact(x);
    if (x->done)
      return 0;
    int rc = xmlstream_feed(x->xs, d);
    if (rc < 0)
      return -1;
    if (rc == 0)
      x->done = true;
  }
}

struct evtxml *evtxml_new_source(xmlstream_read_fn read, void *rctx,
                                 const char *file, evtxml_element_fn element,
                                 void *element_ctx, struct diag *d) {
  static const struct xmlstream_handlers h = {on_start, on_end, on_text};
  struct evtxml *x = xcalloc(1, sizeof *x);
  x->element = element;
  x->element_ctx = element_ctx;
  x->capture = -1;
  x->paste = xmlpaste_new(read, rctx, file);
  x->xs = xmlstream_new(xmlpaste_read, x->paste, file, &h, x);
  if (!x->xs) {
    diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "cannot create an XML parser");
    evtxml_free(x);
    return NULL;
  }
  return x;
}

struct evtxml *evtxml_new(struct trace_ctx *ctx, evtxml_element_fn element,
                          void *element_ctx, struct diag *d) {
  return evtxml_new_source(input_text_source, ctx->in, ctx->file, element,
                           element_ctx, d);
}

void evtxml_free(struct evtxml *x) {
  if (!x)
    return;
  xmlstream_free(x->xs);
  xmlpaste_free(x->paste);
  for (size_t i = 0; i < x->qcap; i++)
    evtxml_record_fini(&x->queue[i]);
  free(x->queue);
  free(x);
}

bool evtxml_sniff(const char *text, size_t len) {
  size_t i = 0;
  while (i < len && is_space(text[i]))
    i++;
  if (i + 1 < len && text[i] == '-' && (text[i + 1] == ' ' || text[i + 1] == '\t'))
    for (i++; i < len && (text[i] == ' ' || text[i] == '\t');)
      i++; /* a fold marker of Event Viewer's XML View: "- <Event ...>" */
  return i < len && text[i] == '<' && trace_text_has(text, len, "<Event");
}
