/* The .reg reader: the three real exports in tests/data/registry and one
 * hand-written file per syntax (written here, UTF-8 or UTF-16LE). */
#include "config.h"
#include "evidence/regfile.h"
#include "tap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/leakslope-regfile.XXXXXX";
static int nfiles;

/* Write text to a temporary file, as UTF-16LE with a BOM when utf16 (the
 * text is ASCII/Latin-1 here, so each byte becomes one code unit). */
static char *write_tmp(const char *text, int utf16) {
  char *path = xasprintf("%s/%d.reg", tmpdir, ++nfiles);
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  if (utf16) {
    fputs("\xff\xfe", f);
    for (const char *p = text; *p; p++) {
      fputc(*p, f);
      fputc(0, f);
    }
  } else {
    fputs(text, f);
  }
  fclose(f);
  return path;
}

static struct regfile *load(const char *text, int utf16, struct diag *d) {
  char *path = write_tmp(text, utf16);
  struct warnings w;
  warnings_init(&w);
  struct regfile *rf = regfile_read(path, &w, d);
  warnings_fini(&w);
  free(path);
  return rf;
}

static struct regfile *load_ok(const char *text, int utf16, const char *what) {
  struct diag d;
  diag_init(&d);
  struct regfile *rf = load(text, utf16, &d);
  ok(rf != NULL, "%s: reads", what);
  if (!rf)
    printf("# %s\n", d.message);
  diag_fini(&d);
  return rf;
}

/* The error must be at line:col and mention `needle`. */
static void load_fails(const char *text, long line, long col,
                       const char *needle, const char *what) {
  struct diag d;
  diag_init(&d);
  struct regfile *rf = load(text, 0, &d);
  int good = !rf && d.kind == DIAG_DATA && d.line == line && d.col == col &&
             d.message && strstr(d.message, needle);
  ok(good, "%s: error at %ld:%ld mentioning \"%s\"", what, line, col, needle);
  if (!good)
    printf("# got %s at %ld:%ld: %s\n", rf ? "success" : "error", d.line,
           d.col, d.message ? d.message : "");
  regfile_free(rf);
  diag_fini(&d);
}

static size_t count_values(const struct regfile *rf) {
  size_t n = 0;
  for (size_t i = 0; i < rf->nkeys; i++)
    n += rf->keys[i].nvalues;
  return n;
}

static char *data_path(const char *name) {
  const char *top = getenv("abs_top_srcdir");
  return xasprintf("%s/tests/data/registry/%s", top ? top : ".", name);
}

static struct regfile *load_data(const char *name) {
  char *path = data_path(name);
  struct diag d;
  diag_init(&d);
  struct regfile *rf = regfile_read(path, NULL, &d);
  ok(rf != NULL, "%s reads", name);
  if (!rf)
    printf("# %s\n", d.message);
  diag_fini(&d);
  free(path);
  return rf;
}

static void real_putty(void) {
  struct regfile *rf = load_data("putty_sessions_regedit_export_utf16le.reg");
  if (!rf)
    return;
  is_int(rf->version, 5, "putty: version 5 header");
  is_str(rf->encoding, "utf-16le", "putty: UTF-16LE decoded by the input layer");
  is_int(rf->nkeys, 7, "putty: 7 keys");
  is_int(count_values(rf), 438, "putty: 296 dword + 141 string + 1 hex(7) values");
  const char *k = "HKEY_CURRENT_USER\\Software\\SimonTatham\\PuTTY\\Sessions\\VPS1";
  const struct reg_value *v = regfile_get(rf, "HKCU\\software\\simontatham\\putty\\sessions\\vps1", "present");
  ok(v && v->type == REGV_DWORD && v->num == 1, "putty: HKCU\\ abbreviation and case-insensitive lookup find VPS1 Present=dword:1");
  v = regfile_get(rf, k, "ProxyTelnetCommand");
  is_str(v ? v->str : NULL, "connect %host %port\\n", "putty: \\\\ escape read as one backslash");
  v = regfile_get(rf, "HKEY_CURRENT_USER\\Software\\SimonTatham\\PuTTY\\Sessions\\Ubuntu%2064-bits", "PublicKeyFile");
  is_str(v ? v->str : NULL, "C:\\Users\\PatrickDap\\.ssh\\putty-private.ppk", "putty: path string unescaped; %%20 in the key name kept as written");
  v = regfile_get(rf, "HKEY_CURRENT_USER\\Software\\SimonTatham\\PuTTY\\Jumplist", "Recent sessions");
  ok(v && v->type == REGV_MULTI_SZ && v->len == 42, "putty: hex(7) continued over 2 lines, 42 bytes");
  is_str(v ? v->str : NULL, "VPS1\nUbuntu 64-bits", "putty: hex(7) decodes to two UTF-16LE strings");
  ok(v && v->line == 8 && v->col == 1, "putty: value position is line 8, column 1");
  regfile_free(rf);
}

static void real_appmem(void) {
  struct regfile *rf = load_data("appmem_regedit4_comments_ctrlz.reg");
  if (!rf)
    return;
  is_int(rf->version, 4, "appmem: REGEDIT4 header");
  is_int(rf->nkeys, 2, "appmem: 2 keys (comments and the trailing Ctrl-Z ignored)");
  is_int(count_values(rf), 6, "appmem: 6 values");
  const struct reg_value *v = regfile_get(rf, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\AppMem", "TypesSupported");
  ok(v && v->type == REGV_DWORD && v->num == 7, "appmem: spaces around '=' (TypesSupported = dword:7)");
  v = regfile_get(rf, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\AppMem\\Performance", "Library");
  is_str(v ? v->str : NULL, "appmem.dll", "appmem: \"Library\" = \"appmem.dll\"");
  regfile_free(rf);
}

static void real_defaultintent(void) {
  struct regfile *rf = load_data("defaultintent_v5_ansi_dword.reg");
  if (!rf)
    return;
  is_int(rf->version, 5, "defaultintent: version 5 header in 8-bit text");
  const char *k = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows NT\\CurrentVersion\\ICM\\RegisteredProfiles";
  const struct reg_value *v = regfile_get(rf, k, "ri  ");
  ok(v && v->type == REGV_DWORD && v->num == 0, "defaultintent: value name \"ri  \" keeps its trailing spaces");
  ok(regfile_get(rf, k, "ri") == NULL, "defaultintent: \"ri\" without the spaces is another name");
  regfile_free(rf);
}

#define MAPI "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem"
#define V5 "Windows Registry Editor Version 5.00\r\n\r\n"

static void mapi_utf16(void) {
  struct regfile *rf = load_ok(V5 "[" MAPI "]\r\n\"CleanUpMAPIHeap\"=dword:00000001\r\n\r\n", 1, "UTF-16LE CRLF reg export of the MAPI key");
  const struct reg_value *v = rf ? regfile_get(rf, "HKLM\\Software\\Microsoft\\Windows Messaging Subsystem\\", "cleanupmapiheap") : NULL;
  ok(v && v->type == REGV_DWORD && v->num == 1, "CleanUpMAPIHeap=dword:1 found by HKLM\\ path with a trailing '\\', any case");
  regfile_free(rf);
  rf = load_ok("\xef\xbb\xbf" V5 "[HKLM\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem]\n\"CleanUpMAPIHeap\"=\"1\"\n", 0, "UTF-8 with BOM, HKLM written in the key line");
  v = rf ? regfile_get(rf, MAPI, "CleanUpMAPIHeap") : NULL;
  ok(v && v->type == REGV_SZ && v->str && strcmp(v->str, "1") == 0, "a string \"1\" stays a string (type sz), not a DWORD");
  is_str(rf && rf->nkeys ? rf->keys[0].path : NULL, MAPI, "key path stored with the hive in full");
  regfile_free(rf);
}

static void syntax_values(void) {
  struct regfile *rf = load_ok(V5 "[HKCU\\T]\n"
      "@=\"the default\"\n"
      "\"q\\\"uote\"=\"say \\\"hi\\\" \\\\o/\"\n"
      "\"gone\"=-\n"
      "  ; an indented comment\n"
      "\"d\" = dword:0000002A ; a comment after a value\n"
      "\"qw\"=hex(b):01,02,00,00,00,00,00,00\n"
      "\"le\"=hex(4):78,56,34,12\n"
      "\"be\"=hex(5):12,34,56,78\n"
      "\"short\"=hex(4):01,02,03\n"
      "\"exp\"=hex(2):25,00,53,00,79,00,73,00,25,00,00,00\n"
      "\"bin\"=hex:01, 02,\\\n"
      "   03,04,\\\n"
      "   ff\n"
      "\"empty\"=hex:\n"
      "\"d\"=dword:7\n", 0, "values: @, escapes, deletion, dword, hex(b/4/5/2), continuations");
  const struct reg_key *k = rf ? regfile_find_key(rf, "HKEY_CURRENT_USER\\T", false) : NULL;
  ok(k != NULL, "HKCU\\T found as HKEY_CURRENT_USER\\T");
  if (!k) {
    regfile_free(rf);
    return;
  }
  const struct reg_value *v = regkey_find_value(k, "@");
  is_str(v ? v->str : NULL, "the default", "@ is the default value (looked up as \"@\")");
  ok(regkey_find_value(k, "") == v, "the default value is also name \"\"");
  v = regkey_find_value(k, "q\"uote");
  is_str(v ? v->str : NULL, "say \"hi\" \\o/", "\\\" and \\\\ escapes in name and data");
  v = regkey_find_value(k, "GONE");
  ok(v && v->deleted && v->type == REGV_DELETED, "\"gone\"=- is a deleted value");
  v = regkey_find_value(k, "d");
  ok(v && v->type == REGV_DWORD && v->num == 7 && v->line == 18, "a repeated name: the later line (18) wins");
  v = regkey_find_value(k, "qw");
  ok(v && v->type == REGV_QWORD && v->num == 0x201, "hex(b) is a little-endian QWORD (0x201)");
  v = regkey_find_value(k, "le");
  ok(v && v->type == REGV_DWORD && v->num == 0x12345678, "hex(4) is a little-endian DWORD");
  v = regkey_find_value(k, "be");
  ok(v && v->type == REGV_DWORD_BE && v->num == 0x12345678, "hex(5) is a big-endian DWORD");
  v = regkey_find_value(k, "short");
  ok(v && v->type == REGV_BINARY && v->len == 3, "hex(4) with 3 bytes is read as binary");
  v = regkey_find_value(k, "exp");
  ok(v && v->type == REGV_EXPAND_SZ && v->str && strcmp(v->str, "%Sys%") == 0, "hex(2) decodes UTF-16LE to \"%%Sys%%\"");
  v = regkey_find_value(k, "bin");
  ok(v && v->type == REGV_BINARY && v->len == 5 && v->data[4] == 0xff, "hex: continued over 3 lines with spaces: 5 bytes");
  v = regkey_find_value(k, "empty");
  ok(v && v->type == REGV_BINARY && v->len == 0, "hex: with no bytes");
  regfile_free(rf);
}

static void syntax_keys(void) {
  struct regfile *rf = load_ok("REGEDIT4\n\n"
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n\"x\"=dword:1\n"
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A\\B]\n\"y\"=dword:2\n"
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\AB]\n\"z\"=dword:3\n"
      "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n"
      "[hklm\\software\\ab]\n\"w\"=hex(2):41,42,00\n"
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows Messaging Subsystem]\n"
      "\"CleanUpMAPIHeap\"=dword:00000001\n\x1a", 0, "keys: deletion, repeats, WOW6432Node, Ctrl-Z");
  if (!rf)
    return;
  is_int(rf->nkeys, 4, "4 distinct keys (a repeated key is merged)");
  const struct reg_key *a = regfile_find_key(rf, "HKLM\\SOFTWARE\\A", false);
  const struct reg_key *b = regfile_find_key(rf, "HKLM\\SOFTWARE\\A\\B", false);
  const struct reg_key *ab = regfile_find_key(rf, "HKLM\\SOFTWARE\\AB", false);
  ok(a && a->deleted && a->nvalues == 0, "[-...\\A] deletes A");
  ok(b && b->deleted, "[-...\\A] deletes the subkey A\\B too");
  ok(ab && !ab->deleted && ab->nvalues == 2, "...\\AB is not below A; its two blocks are merged");
  const struct reg_value *w = ab ? regkey_find_value(ab, "w") : NULL;
  is_str(w ? w->str : NULL, "AB", "REGEDIT4 hex(2) is single-byte text");
  ok(regfile_find_key(rf, MAPI, false) == NULL, "the 64-bit view of the MAPI key is not in the file");
  const struct reg_key *m = regfile_find_key(rf, MAPI, true);
  ok(m && m->wow64, "with any_view the WOW6432Node key matches, noted as wow64");
  size_t pos = 0;
  const struct reg_key *where = NULL;
  const struct reg_value *v = regfile_find_anywhere(rf, "cleanupmapiheap", &pos, &where);
  ok(v && where == m && v->num == 1, "find_anywhere finds the value under the WOW6432Node key");
  ok(!regfile_find_anywhere(rf, "cleanupmapiheap", &pos, &where), "and no further key holds it");
  char *c = regfile_canonical_path("hklm\\Software\\Wow6432Node\\X\\", true);
  is_str(c, "HKEY_LOCAL_MACHINE\\Software\\X", "canonical path without the WOW6432Node component");
  free(c);
  ok(regfile_canonical_path("HKEY_NOPE\\X", false) == NULL, "an unknown hive has no canonical path");
  regfile_free(rf);
}

static void ansi_regedit4(void) {
  struct regfile *rf = load_ok("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Caf\xe9]\r\n\"Name\"=\"na\xefve\"\r\n", 0, "REGEDIT4 in Windows-1252 (no BOM, CRLF)");
  const struct reg_value *v = rf ? regfile_get(rf, "HKCU\\Caf\xc3\xa9", "Name") : NULL;
  is_str(v ? v->str : NULL, "na\xc3\xafve", "cp1252 bytes decoded to UTF-8 in key and value");
  is_str(rf ? rf->encoding : NULL, "cp1252", "encoding reported as cp1252");
  regfile_free(rf);
}

static void syntax_errors(void) {
  load_fails("hello\n", 1, 1, "not a registry file", "no header");
  load_fails("", 1, 1, "empty registry file", "empty file");
  load_fails(V5 "\"a\"=dword:1\n", 3, 1, "before any key", "value before a key");
  load_fails(V5 "[HKEY_FOO\\x]\n", 3, 2, "unknown registry hive", "unknown hive");
  load_fails(V5 "[HKCU\\x\n", 3, 8, "without ']'", "key without ]");
  load_fails(V5 "[HKCU\\x] y\n", 3, 9, "after the key", "text after ]");
  load_fails(V5 "[HKCU\\x]\n\"a\"=dword:xyz\n", 4, 11, "bad dword", "dword with non-hex digits");
  load_fails(V5 "[HKCU\\x]\n\"a\"=dword:123456789\n", 4, 11, "bad dword", "dword with 9 digits");
  load_fails(V5 "[HKCU\\x]\n\"a\"=hex:01,zz\n", 4, 12, "bad hex byte", "bad hex byte");
  load_fails(V5 "[HKCU\\x]\n\"a\"=hex:01,123\n", 4, 12, "more than two digits", "3-digit hex byte");
  load_fails(V5 "[HKCU\\x]\n\"a\"=hex:01 02\n", 4, 12, "expected ','", "hex bytes without a comma");
  load_fails(V5 "[HKCU\\x]\n\"a\"=hex(zz):01\n", 4, 8, "bad hex type", "bad hex(N)");
  load_fails(V5 "[HKCU\\x]\n\"a\"=hex:01,\\\n", 4, 12, "file ends inside a hex value", "continuation at end of file");
  load_fails(V5 "[HKCU\\x]\n\"a\"=hex:01,\\\n  02,\\\n  zz\n", 6, 3, "bad hex byte", "error on a continuation line points there");
  load_fails(V5 "[HKCU\\x]\n\"a\"=\"abc\n", 4, 5, "unterminated string", "unterminated string");
  load_fails(V5 "[HKCU\\x]\n\"abc=1\n", 4, 1, "unterminated value name", "unterminated name");
  load_fails(V5 "[HKCU\\x]\n\"a\" dword:1\n", 4, 5, "expected '='", "missing =");
  load_fails(V5 "[HKCU\\x]\n\"a\"=foo\n", 4, 5, "unknown value data", "unknown data");
  load_fails(V5 "[HKCU\\x]\n\"a\"=\"b\" x\n", 4, 8, "after the string", "text after a string");
  load_fails(V5 "[HKCU\\x]\nfoo=bar\n", 4, 1, "unexpected text", "a line that is none of the forms");
  load_fails(V5 "[HKCU\\x]\n\"\xc3\xa9\xc3\xa9\"=dword:zz\n", 4, 12, "bad dword", "column counts characters, not bytes (UTF-8 name)");
  struct diag d;
  diag_init(&d);
  ok(regfile_read("/nonexistent/x.reg", NULL, &d) == NULL && d.kind == DIAG_NOINPUT, "a missing file is DIAG_NOINPUT");
  diag_fini(&d);
}

static void inline_values(void) {
  struct regfile *rf = regfile_new("manifest.yaml");
  struct reg_key *k = regfile_add_key(rf, NULL, 3);
  struct reg_value *v = regkey_add_value(k, "CleanUpMAPIHeap", 3, 22);
  v->type = REGV_DWORD;
  v->num = 1;
  size_t pos = 0;
  const struct reg_key *where = NULL;
  ok(regfile_find_anywhere(rf, "CLEANUPMAPIHEAP", &pos, &where) == v && where->path == NULL, "inline values: a key without a path holds them");
  ok(regfile_find_key(rf, MAPI, true) == NULL, "a pathless key matches no path");
  regfile_free(rf);
}

int main(void) {
  if (!mkdtemp(tmpdir))
    return 99;
  real_putty();
  real_appmem();
  real_defaultintent();
  mapi_utf16();
  syntax_values();
  syntax_keys();
  ansi_regedit4();
  syntax_errors();
  inline_values();
  char *cmd = xasprintf("rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", tmpdir);
  free(cmd);
  return tap_done();
}
