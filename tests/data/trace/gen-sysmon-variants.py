#!/usr/bin/env python3
"""Writes the Sysmon variants in tests/data/trace from one set of records.

Every file stands for the records of sysmon-wevtutil.xml (event 1 of
mapitest.exe, then three Sysmon event 7 loads: MAPI32.DLL twice and
vcruntime140.dll once), as Event Viewer's XML View copies them, as
Winlogbeat writes them (winlog.event_data) and as Elastic's Sysmon pipeline
leaves them (ECS fields only), so the tests can assert the same events and
cycles across formats. Run from this folder: python3 gen-sysmon-variants.py
"""
import json

import evtxwrite

GUID = "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"
IMAGE = "C:\\tools\\mapitest.exe"
MAPI = "C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL"
VCRT = "C:\\Users\\svc\\AppData\\Local\\Temp\\vcruntime140.dll"
MAPI_VER = "6.5.7233.46 (WinBuild.160101.0800)"

# (record id, event id, SystemTime, UtcTime, ImageLoaded, FileVersion, @timestamp)
RECORDS = [
    (100, 1, "2026-03-05T21:58:00.000000Z", "2026-03-05 21:58:00.000", None, "1.0",
     "2026-03-05T21:58:00Z"),
    (101, 7, "2026-03-05T21:58:08.7249999Z", "2026-03-05 21:58:08.724", MAPI, MAPI_VER,
     "2026-03-05T21:58:08.724Z"),
    (102, 7, "2026-03-05T21:58:10.0019999Z", "2026-03-05 21:58:10.001", MAPI, MAPI_VER,
     "2026-03-05T21:58:10.001000Z"),
    (103, 7, "2026-03-05T21:58:11.5009999Z", "2026-03-05 21:58:11.500", VCRT, "-",
     "2026-03-05T21:58:11.5Z"),
]


def event_data(r):
    """The EventData of a record: (name, value) pairs."""
    rid, eid, st, utc, loaded, ver, _ = r
    data = [("RuleName", "-"), ("UtcTime", utc),
            ("ProcessGuid", "{0197231e-046c-6928-160c-000000000d00}"),
            ("ProcessId", "7228"), ("Image", IMAGE)]
    if loaded:
        data += [("ImageLoaded", loaded), ("FileVersion", ver),
                 ("Description", "Extended MAPI 1.0 for Windows NT"),
                 ("Signed", "true"), ("User", "EXCH01\\svc")]
    else:
        data += [("FileVersion", ver), ("CommandLine", "mapitest.exe -loop 3")]
    return data


def paste_event(r, ind="  ", mark="- "):
    """One event as the XML View shows it: '- ' before an expanded element,
    two spaces before a leaf, a space after each leaf."""
    rid, eid, st, utc, loaded, ver, _ = r
    data = event_data(r)
    out = [mark + '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">',
           mark + "<System>",
           ind + '<Provider Name="Microsoft-Windows-Sysmon" Guid="%s" /> ' % GUID,
           ind + "<EventID>%d</EventID> " % eid,
           ind + "<Version>3</Version> ",
           ind + "<Level>4</Level> ",
           ind + "<Task>%d</Task> " % eid,
           ind + "<Opcode>0</Opcode> ",
           ind + "<Keywords>0x8000000000000000</Keywords> ",
           ind + '<TimeCreated SystemTime="%s" /> ' % st,
           ind + "<EventRecordID>%d</EventRecordID> " % rid,
           ind + "<Correlation /> ",
           ind + '<Execution ProcessID="3544" ThreadID="4264" /> ',
           ind + "<Channel>Microsoft-Windows-Sysmon/Operational</Channel> ",
           ind + "<Computer>EXCH01</Computer> ",
           ind + '<Security UserID="S-1-5-18" /> ',
           ind + "</System>",
           mark + "<EventData>"]
    out += [ind + '<Data Name="%s">%s</Data> ' % (k, v.replace("&", "&amp;")) for k, v in data]
    out += [ind + "</EventData>", ind + "</Event>"]
    return out


def event_tree(r):
    """One event as an element tree (evtxwrite.py): the elements and values
    paste_event shows."""
    rid, eid, st, utc, loaded, ver, _ = r
    data = event_data(r)
    leaf = lambda name, text: (name, [], text)
    system = [("Provider", [("Name", "Microsoft-Windows-Sysmon"), ("Guid", GUID)], []),
              leaf("EventID", str(eid)), leaf("Version", "3"), leaf("Level", "4"),
              leaf("Task", str(eid)), leaf("Opcode", "0"),
              leaf("Keywords", "0x8000000000000000"),
              ("TimeCreated", [("SystemTime", st)], []),
              leaf("EventRecordID", str(rid)), ("Correlation", [], []),
              ("Execution", [("ProcessID", "3544"), ("ThreadID", "4264")], []),
              leaf("Channel", "Microsoft-Windows-Sysmon/Operational"),
              leaf("Computer", "EXCH01"), ("Security", [("UserID", "S-1-5-18")], [])]
    return ("Event", [("xmlns", "http://schemas.microsoft.com/win/2004/08/events/event")],
            [("System", [], system),
             ("EventData", [], [("Data", [("Name", k)], v) for k, v in data])])


def paste(ind="  ", mark="- "):
    lines = []
    for r in RECORDS:
        lines += paste_event(r, ind, mark) + [""]
    return lines


def write(name, lines, nl="\n", enc="utf-8", bom=b""):
    with open(name, "wb") as f:
        f.write(bom + (nl.join(lines) + nl).encode(enc))


def winlog(r, event_id):
    rid, eid, st, utc, loaded, ver, ts = r
    data = {"RuleName": "-", "UtcTime": utc,
            "ProcessGuid": "{0197231e-046c-6928-160c-000000000d00}",
            "ProcessId": "7228", "Image": IMAGE}
    if loaded:
        data.update({"ImageLoaded": loaded, "FileVersion": ver,
                     "Description": "Extended MAPI 1.0 for Windows NT",
                     "Signed": "true", "User": "EXCH01\\svc"})
    return {"@timestamp": ts,
            "agent": {"type": "winlogbeat", "version": "8.12.0"},
            "event": {"code": str(eid), "kind": "event", "provider": "Microsoft-Windows-Sysmon",
                      "created": "2026-03-05T21:58:20.117Z"},
            "host": {"name": "EXCH01"},
            "log": {"level": "information"},
            "message": "Image loaded:\nRuleName: -\nUtcTime: %s" % utc,
            "winlog": {"api": "wineventlog", "channel": "Microsoft-Windows-Sysmon/Operational",
                       "computer_name": "EXCH01", "event_id": event_id(eid),
                       "provider_guid": GUID, "provider_name": "Microsoft-Windows-Sysmon",
                       "process": {"pid": 3544, "thread": {"id": 4264}},
                       "record_id": rid, "task": "Image loaded (rule: ImageLoad)",
                       "version": 3, "event_data": data,
                       "user": {"identifier": "S-1-5-18", "type": "User"}}}


def ecs(r):
    rid, eid, st, utc, loaded, ver, ts = r
    doc = {"@timestamp": ts,
           "event": {"code": str(eid), "module": "sysmon", "provider": "Microsoft-Windows-Sysmon",
                     "dataset": "windows.sysmon_operational", "kind": "event"},
           "process": {"pid": 7228, "executable": IMAGE, "name": "mapitest.exe",
                       "entity_id": "{0197231e-046c-6928-160c-000000000d00}"},
           "host": {"name": "EXCH01"},
           "winlog": {"channel": "Microsoft-Windows-Sysmon/Operational", "record_id": rid,
                      "process": {"pid": 3544}}}
    if loaded:
        doc["file"] = {"path": loaded, "name": loaded.rsplit("\\", 1)[1],
                       "pe": {"file_version": ver.split(" (")[0] if ver != "-" else "-"}}
    return doc


# A Disk event 7 (a bad block) and a Security event: not Sysmon, passed over.
OTHER = [{"@timestamp": "2026-03-05T21:58:09.000Z", "event": {"code": "7", "provider": "Disk"},
          "winlog": {"event_id": 7, "provider_name": "Disk", "channel": "System",
                     "event_data": {"param1": "\\Device\\Harddisk1\\DR1"}}},
         {"@timestamp": "2026-03-05T21:58:09.500Z", "event": {"code": "4688"},
          "winlog": {"event_id": "4688", "provider_name": "Microsoft-Windows-Security-Auditing",
                     "event_data": {"NewProcessName": IMAGE, "ProcessId": "0x1c3c"}}}]

if __name__ == "__main__":
    write("sysmon-eventviewer-paste.xml", paste())
    write("sysmon-eventviewer-crlf.xml", paste(), nl="\r\n")
    write("sysmon-eventviewer-utf16.xml", paste(), nl="\r\n", enc="utf-16-le", bom=b"\xff\xfe")
    write("sysmon-eventviewer-tabs.xml", paste(ind="\t", mark="-\t"))
    cut = paste()
    write("sysmon-eventviewer-cut.xml", cut[:len(cut) - 12])
    # A '-' in text content stays (its '<' would be written &lt;); a "- "
    # line of text between events is text outside any element.
    one = paste_event(RECORDS[1])
    at = one.index('  <Data Name="FileVersion">%s</Data> ' % MAPI_VER)
    write("sysmon-eventviewer-dash-text.xml",
          one[:at] + ['  <Data Name="FileVersion">', '- 6.5 &lt;beta&gt;</Data> '] + one[at + 1:])
    write("sysmon-eventviewer-stray.xml",
          paste_event(RECORDS[1]) + ["", "- Event Properties - Event 7, Sysmon"] + paste_event(RECORDS[2]))
    # A collapsed <EventData> ("+ <EventData>") copies none of its content.
    two = paste()
    at = [i for i, l in enumerate(two) if l == "- <EventData>"][1]
    end = two.index("  </EventData>", at)
    write("sysmon-eventviewer-collapsed.xml", two[:at] + ["+ <EventData>"] + two[end + 1:])
    evtxwrite.write("sysmon-variants.evtx", [(r[0], r[2], event_tree(r)) for r in RECORDS])
    docs = [winlog(r, lambda e: e) for r in RECORDS]
    with open("winlogbeat-array.json", "w") as f:
        f.write(json.dumps(docs[:2] + OTHER + docs[2:], indent=2) + "\n")
    with open("winlogbeat-ndjson.json", "w") as f:
        for d in [winlog(r, str) for r in RECORDS[:2]] + OTHER + [winlog(r, str) for r in RECORDS[2:]]:
            f.write(json.dumps(d, separators=(",", ":")) + "\n")
    with open("ecs-ndjson.json", "w") as f:
        for r in RECORDS:
            f.write(json.dumps(ecs(r), separators=(",", ":")) + "\n")
    nopath = ecs(RECORDS[1])
    del nopath["file"]
    with open("ecs-no-path.json", "w") as f:
        f.write(json.dumps(ecs(RECORDS[0]), separators=(",", ":")) + "\n")
        f.write(json.dumps(nopath, separators=(",", ":")) + "\n")
