/* fuzz_fixtures.h — the small files a folder-based fuzz target puts beside
 * its input (fuzz_cli.h's FUZZ_DIR_EXTRA): a counter log of 12 rows, an own
 * format trace of 6 cycles, a .reg export and a manifest naming them, so
 * that a fuzzed manifest, rules file or .reg is read as far as a real one. */
#define FIX_LOG \
  "\"(PDH-CSV 4.0) (GMT Standard Time)(0)\",\"\\\\vm\\Process(mapitest)\\Private Bytes\"\n"\
  "\"03/05/2026 21:58:08.000\",\"100000000\"\n"\
  "\"03/05/2026 21:58:09.000\",\"100000000\"\n"\
  "\"03/05/2026 21:58:10.000\",\"100040960\"\n"\
  "\"03/05/2026 21:58:11.000\",\"100040960\"\n"\
  "\"03/05/2026 21:58:12.000\",\"100081920\"\n"\
  "\"03/05/2026 21:58:13.000\",\"100081920\"\n"\
  "\"03/05/2026 21:58:14.000\",\"100122880\"\n"\
  "\"03/05/2026 21:58:15.000\",\"100122880\"\n"\
  "\"03/05/2026 21:58:16.000\",\"100163840\"\n"\
  "\"03/05/2026 21:58:17.000\",\"100163840\"\n"\
  "\"03/05/2026 21:58:18.000\",\"100204800\"\n"\
  "\"03/05/2026 21:58:19.000\",\"100204800\"\n"
#define FIX_TRACE \
  "time,event,pid,process,module\n"\
  "2026-03-05T21:58:08.500000Z,load,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:09.500000Z,unload,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:10.500000Z,load,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:11.500000Z,unload,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:12.500000Z,load,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:13.500000Z,unload,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:14.500000Z,load,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:15.500000Z,unload,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:16.500000Z,load,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:17.500000Z,unload,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:18.500000Z,load,7228,mapitest.exe,C:\\x\\mapi32.dll\n"\
  "2026-03-05T21:58:19.500000Z,unload,7228,mapitest.exe,C:\\x\\mapi32.dll\n"
#define FIX_REG \
  "Windows Registry Editor Version 5.00\r\n"\
  "\r\n"\
  "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem]\r\n"\
  "\"CleanUpMAPIHeap\"=dword:00000001\r\n"
#define FIX_MANIFEST \
  "rules: kb901014\n"\
  "process: mapitest\n"\
  "module: mapi32.dll\n"\
  "runs:\n"\
  "  - {name: a, counters: c.csv, events: e.csv, registry: r.reg, module_version: 6.5.7233.46}\n"
#define FIX_MANIFEST_RULES \
  "rules: rules.yaml\n"\
  "process: mapitest\n"\
  "module: mapi32.dll\n"\
  "runs:\n"\
  "  - {name: a, counters: c.csv, events: e.csv, registry: r.reg, module_version: 6.5.7233.46}\n"
#define FIX_FILES "c.csv", FIX_LOG, "e.csv", FIX_TRACE,
