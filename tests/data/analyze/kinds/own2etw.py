#!/usr/bin/env python3
"""own2etw.py -- render a leakslope own-CSV trace (with begin:NAME/end:NAME
rows) as `tracerpt -of XML`: Kernel-Process 1 (process start), 5/6 (image
load/unload) and the Contoso-MapiTool provider's EventID 1/2 for
begin:logon/end:logon (tests/data/trace/maps/events/contoso-mapitool.yaml).
Used once to write events-etw.xml.gz beside events.csv.gz, so that analyze.sh
can check that the ETW rendering of one capture gives the same leaks.
Usage: own2etw.py events.csv.gz | gzip -n > events-etw.xml.gz"""
import csv, gzip, io, sys
from xml.sax.saxutils import escape

KP = ('Microsoft-Windows-Kernel-Process', '22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716')
APP = ('Contoso-MapiTool', '8c6e2f1a-3b4d-4e5f-9a0b-1c2d3e4f5a6b')

def event(prov, eid, t, pid, data):
    d = ''.join('<Data Name="%s">%s</Data>' % (k, escape(str(v))) for k, v in data)
    return ('<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>'
            '<Provider Name="%s" Guid="{%s}"/><EventID>%d</EventID><Task>0</Task><Opcode>0</Opcode>'
            '<TimeCreated SystemTime="%s"/><Execution ProcessID="%d" ThreadID="1"/>'
            '</System><EventData>%s</EventData></Event>\n' % (prov[0], prov[1], eid, t, pid, d))

out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n')
seen = set()
with gzip.open(sys.argv[1], 'rt', newline='') as f:
    for row in csv.DictReader(f):
        pid = int(row['pid'])
        if pid not in seen:
            seen.add(pid)
            out.write(event(KP, 1, row['time'], pid,
                            [('ProcessID', pid), ('ImageName', '\\Device\\HarddiskVolume3\\tools\\' + row['process'])]))
        k = row['event']
        if k in ('load', 'unload'):
            path = row['module'].replace('C:', '\\Device\\HarddiskVolume3', 1)
            out.write(event(KP, 5 if k == 'load' else 6, row['time'], pid,
                            [('ProcessID', pid), ('ImageName', path)]))
        elif k in ('begin:logon', 'end:logon'):
            out.write(event(APP, 1 if k.startswith('begin') else 2, row['time'], pid, []))
        else:
            sys.exit('own2etw.py: unexpected event ' + k)
out.write('</Events>\n')
