/* sysmon — the mapping of Sysmon records to trace events, shared by the
 * reader of exported XML (read_sysmon.c) and the reader of Sysmon's own
 * .evtx log (read_evtx.c, which hands over the XML libevtx makes of each
 * record), so that an image load means the same whichever way it arrives.
 *
 * By record: events and errors are placed by the record's EventRecordID
 * ("record N" in messages, the event's line := N) instead of a line of the
 * text, which for .evtx is XML no user has seen. */
#ifndef LEAKSLOPE_SYSMON_H
#define LEAKSLOPE_SYSMON_H

#include <stdbool.h>

#include "input/xmlstream.h"
#include "trace/trace.h"

struct sysmon_xml;

/* Sysmon events as Event XML from read (UTF-8 text, records back to back);
 * NULL with d filled when no XML parser can be made. */
struct sysmon_xml *sysmon_xml_new(struct trace_ctx *ctx, xmlstream_read_fn read,
                              void *rctx, bool by_record, struct diag *d);
/* The next image load: 1 with ev filled, 0 at the end, -1 with d filled. */
int sysmon_xml_next(struct sysmon_xml *st, struct trace_event *ev, struct diag *d);
void sysmon_xml_free(struct sysmon_xml *st);

#endif
