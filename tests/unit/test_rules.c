/* Rules files: kb901014.yaml found through the data dir, a second made-up
 * KB (tests/data/rules), errors at line:col, and the evidence judged
 * against them (each KB 901014 combination and every warning case). */
#include "config.h"
#include "util/datadir.h"
#include "evidence/rules.h"
#include "tap.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

#define MAPI "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem"

static char tmpdir[] = "/tmp/leakslope-rules.XXXXXX";
static int nfiles;

static char *srcpath(const char *rel) {
  const char *top = getenv("abs_top_srcdir");
  return xasprintf("%s/%s", top ? top : ".", rel);
}

/* Inline values: one pathless key; type < 0 means none at all. */
static struct regfile *inline_reg(const char *name, int type, uint64_t num,
                                  const char *str) {
  struct regfile *rf = regfile_new("manifest.yaml");
  struct reg_key *k = regfile_add_key(rf, NULL, 1);
  if (name) {
    struct reg_value *v = regkey_add_value(k, name, 1, 1);
    v->type = (enum regv_type)type;
    v->num = num;
    v->str = str ? xstrdup(str) : NULL;
  }
  return rf;
}

static struct regfile *reg_data(const char *name) {
  char *rel = xasprintf("tests/data/registry/%s", name);
  char *path = srcpath(rel);
  struct diag d;
  diag_init(&d);
  struct regfile *rf = regfile_read(path, NULL, &d);
  if (!rf)
    printf("# %s: %s\n", name, d.message);
  diag_fini(&d);
  free(path);
  free(rel);
  return rf;
}

/* Judge and check expected + the warning code (NULL: no warning). */
static void judge(const struct rules *r, const char *ver, const char *trace_ver,
                  struct regfile *rf, enum expect want, const char *warn_code,
                  const char *what) {
  struct warnings w;
  warnings_init(&w);
  struct run_evidence ev = {.run = "r1", .module_version = ver,
                            .trace_version = trace_ver, .registry = rf};
  struct rules_eval e;
  rules_evaluate(r, &ev, &w, &e);
  is_str(expect_name(e.expected), expect_name(want), "%s: expected %s", what,
         expect_name(want));
  if (warn_code)
    ok(w.count == 1 && !strcmp(w.items[0].code, warn_code),
       "%s: one warning, %s", what, warn_code);
  else
    ok(w.count == 0, "%s: no warning", what);
  for (size_t i = 0; i < w.count; i++)
    printf("# warning %s: %s\n", w.items[i].code, w.items[i].message);
  rules_eval_fini(&e);
  warnings_fini(&w);
  regfile_free(rf);
}

static struct rules *load_kb901014(void) {
  struct diag d;
  diag_init(&d);
  char *path = datadir_find("rules/kb901014.yaml", &d);
  ok(path != NULL, "rules/kb901014.yaml found through the data dir");
  struct rules *r = path ? rules_load(path, &d) : NULL;
  ok(r != NULL, "kb901014.yaml loads");
  if (!r)
    printf("# %s\n", d.message);
  free(path);
  diag_fini(&d);
  return r;
}

static void kb901014_shape(const struct rules *r) {
  is_str(r->id, "KB901014", "id");
  is_str(r->module, "mapi32.dll", "module");
  is_str(r->fixed_text, "6.5.7233.46", "fixed version");
  is_int(r->nprerequisites, 1, "one prerequisite (information only)");
  ok(r->nprerequisites && strstr(r->prerequisites[0], "Exchange Server 2003 Service Pack 1"), "prerequisite is Exchange 2003 SP1");
  is_int(r->nsettings, 1, "one setting");
  is_str(r->settings[0].key, MAPI, "expected key, HKLM spelled out");
  ok(r->settings[0].type == REGV_DWORD && r->settings[0].num == 1, "CleanUpMAPIHeap must be DWORD 1");
  is_int(r->npredictions, 3, "three predictions");
}

static void kb901014_judged(const struct rules *r) {
  judge(r, "6.5.7226.0", NULL, NULL, EXPECT_LEAK, NULL, "no hotfix, registry unknown");
  judge(r, "6.5.7226.0", NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_LEAK, NULL, "no hotfix, value set");
  judge(r, "6.5.7233.46", NULL, inline_reg(NULL, 0, 0, NULL), EXPECT_LEAK, NULL, "hotfix, inline values without it");
  judge(r, "6.5.7233.46", NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_NO_LEAK, NULL, "hotfix + CleanUpMAPIHeap=1 inline");
  judge(r, "6.5.7638.1", NULL, inline_reg("cleanupmapiheap", REGV_DWORD, 1, NULL), EXPECT_NO_LEAK, NULL, "newer version, name in another case");
  judge(r, "6.5.7233.9", NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_LEAK, NULL, "6.5.7233.9 is older than .46: no hotfix");
  judge(r, "6.5.7233.46", NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 0, NULL), EXPECT_LEAK, NULL, "hotfix, value 0");
  judge(r, "6.5.7233.46", NULL, NULL, EXPECT_UNKNOWN, NULL, "hotfix, registry evidence missing");
  judge(r, NULL, NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_UNKNOWN, NULL, "version missing, value set");
  judge(r, "-", NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_UNKNOWN, NULL, "version '-' is unknown");
  judge(r, "6.5.7233.46", NULL, reg_data("mapi-fixed.reg"), EXPECT_NO_LEAK, NULL, "UTF-16LE export with the value");
  judge(r, "6.5.7233.46", NULL, reg_data("mapi-unset.reg"), EXPECT_LEAK, NULL, "export of the key without the value");
  judge(r, "6.5.7233.46", NULL, reg_data("mapi-string.reg"), EXPECT_UNKNOWN, "registry-type-mismatch", "string \"1\" instead of a DWORD");
  judge(r, "6.5.7233.46", NULL, inline_reg("CleanUpMAPIHeap", REGV_SZ, 0, "1"), EXPECT_UNKNOWN, "registry-type-mismatch", "inline quoted \"1\"");
  judge(r, "6.5.7233.46", NULL, reg_data("mapi-otherkey.reg"), EXPECT_NO_LEAK, "registry-other-key", "value under another key is used");
  judge(r, "6.5.7233.46", NULL, reg_data("mapi-wow64.reg"), EXPECT_NO_LEAK, "registry-wow64", "value in the WOW6432Node view is used");
  judge(r, "6.5.7233.46", NULL, reg_data("putty_sessions_regedit_export_utf16le.reg"), EXPECT_UNKNOWN, "registry-key-missing", "an export of an unrelated key");
  judge(r, "6.5.7233.46", "6.5.7226.0", inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_LEAK, "version-mismatch", "trace's FileVersion disagrees: the trace's is judged");
  judge(r, "6.5.7233.46", "6, 5, 7233, 46", inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_NO_LEAK, NULL, "trace's comma version agrees");
  judge(r, "6.5.x", NULL, inline_reg("CleanUpMAPIHeap", REGV_DWORD, 1, NULL), EXPECT_UNKNOWN, "version-unreadable", "unreadable version");
}

static void kb901014_messages(const struct rules *r) {
  struct warnings w;
  warnings_init(&w);
  struct regfile *rf = reg_data("mapi-otherkey.reg");
  struct run_evidence ev = {.run = "fixed", .module_version = "6.5.7233.46", .registry = rf};
  struct rules_eval e;
  rules_evaluate(r, &ev, &w, &e);
  ok(w.count == 1 && strstr(w.items[0].message, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIS\\ParametersSystem") && strstr(w.items[0].message, MAPI), "other-key warning names both keys");
  struct tree *t = rules_eval_tree(r, &ev, &e);
  struct tree *s = tree_at(tree_get(t, "settings"), 0);
  is_str(tree_get_str(tree_get(s, "found_key")), "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIS\\ParametersSystem", "evidence tree: found_key");
  is_str(tree_get_str(tree_get(s, "value")), "1", "evidence tree: value");
  ok(tree_kind(tree_get(t, "hotfix")) == TREE_BOOL && tree_get_bool(tree_get(t, "hotfix")), "evidence tree: hotfix true");
  ok(tree_kind(tree_get(t, "trace_module_version")) == TREE_NULL, "evidence tree: no trace version is null");
  tree_free(t);
  rules_eval_fini(&e);
  regfile_free(rf);
  warnings_fini(&w);

  warnings_init(&w);
  rf = reg_data("mapi-string.reg");
  ev.registry = rf;
  rules_evaluate(r, &ev, &w, &e);
  ok(w.count == 1 && strstr(w.items[0].message, "CleanUpMAPIHeap is a string (\"1\")") && strstr(w.items[0].message, "reads a DWORD"), "type-mismatch warning says string vs dword (%s)", w.count ? w.items[0].message : "");
  ok(e.settings[0].ok == TRI_UNKNOWN && e.hotfix == TRI_TRUE, "type mismatch: setting unknown, hotfix true");
  rules_eval_fini(&e);
  regfile_free(rf);
  warnings_fini(&w);
}

static struct regfile *foo_reg(uint64_t cleanup, const char *mode) {
  struct regfile *rf = regfile_new("foo.reg");
  struct reg_key *k = regfile_add_key(rf, "HKEY_CURRENT_USER\\Software\\Foo", 3);
  struct reg_value *v = regkey_add_value(k, "EnableFooCleanup", 4, 1);
  v->type = REGV_DWORD;
  v->num = cleanup;
  k = regfile_add_key(rf, "HKEY_CURRENT_USER\\Software\\Foo\\Options", 6);
  if (mode) {
    v = regkey_add_value(k, "FooMode", 7, 1);
    v->type = REGV_SZ;
    v->str = xstrdup(mode);
  }
  return rf;
}

static void second_kb(void) {
  char *path = srcpath("tests/data/rules/kb-foo-two-settings.yaml");
  struct diag d;
  diag_init(&d);
  struct rules *r = rules_load(path, &d);
  ok(r != NULL, "a second KB's rules file loads with no code change");
  if (!r) {
    printf("# %s\n", d.message);
    free(path);
    diag_fini(&d);
    return;
  }
  is_str(r->module, "foo.dll", "second KB: module foo.dll");
  is_str(r->fixed_text, "2.1.300.0", "second KB: comma version shown dotted");
  ok(r->nsettings == 2 && r->settings[0].num == 16 && r->settings[1].type == REGV_SZ, "second KB: DWORD 0x10 and string settings");
  is_str(r->settings[1].key, "HKEY_CURRENT_USER\\Software\\Foo\\Options", "second KB: HKCU spelled out");
  judge(r, "2.1.299.0", NULL, foo_reg(16, "safe"), EXPECT_LEAK, NULL, "second KB: old version leaks");
  judge(r, "2.1.300", NULL, foo_reg(16, "safe"), EXPECT_NO_LEAK, NULL, "second KB: 2.1.300 (padded) with both settings");
  judge(r, "2.1.300.0", NULL, foo_reg(16, "fast"), EXPECT_LEAK, NULL, "second KB: wrong string falls to the catch-all");
  judge(r, "2.1.300.0", NULL, foo_reg(1, "safe"), EXPECT_LEAK, NULL, "second KB: wrong DWORD");
  judge(r, "2.1.300.0", NULL, foo_reg(16, NULL), EXPECT_LEAK, NULL, "second KB: string missing from an exported key");
  enum tri cond[3] = {TRI_TRUE, TRI_UNKNOWN, TRI_FALSE};
  const char *because = "x";
  is_int(rules_predict(r, cond, &because), EXPECT_LEAK, "second KB: one setting false decides even when the other is unknown");
  cond[2] = TRI_TRUE;
  is_int(rules_predict(r, cond, &because), EXPECT_UNKNOWN, "second KB: outcome hangs on the unknown setting");
  rules_free(r);
  free(path);
  diag_fini(&d);
}

/* Write a rules file and expect an error at line:col naming `needle`. */
static void rules_fail(const char *text, long line, long col,
                       const char *needle, const char *what) {
  char *path = xasprintf("%s/%d.yaml", tmpdir, ++nfiles);
  FILE *f = fopen(path, "w");
  if (!f)
    abort();
  fputs(text, f);
  fclose(f);
  struct diag d;
  diag_init(&d);
  struct rules *r = rules_load(path, &d);
  int good = !r && d.kind == DIAG_DATA && d.line == line && d.col == col &&
             d.message && strstr(d.message, needle) && d.file &&
             !strcmp(d.file, path);
  ok(good, "%s: error at %ld:%ld mentioning \"%s\"", what, line, col, needle);
  if (!good)
    printf("# got %ld:%ld: %s\n", d.line, d.col, d.message ? d.message : "(none)");
  rules_free(r);
  diag_fini(&d);
  free(path);
}

#define HEAD "id: KB1\nmodule: {name: a.dll, fixed_version: 1.2}\n"
#define PRED "predictions:\n  - when: {hotfix: true}\n    expect: no-leak\n"

/* kind: the default is the load of the module (rules written before kinds
 * keep their meaning); KB 891509's is the logon cycle. */
static void kinds(const struct rules *kb901014) {
  is_str(kb901014->kind, "load:mapi32.dll", "kb901014: no kind key, so the load/unload of its module");
  struct diag d;
  diag_init(&d);
  char *path = datadir_find("rules/kb891509.yaml", &d);
  struct rules *r = path ? rules_load(path, &d) : NULL;
  ok(r != NULL, "kb891509.yaml loads");
  if (!r)
    printf("# %s\n", d.message);
  if (r) {
    is_str(r->kind, "logon", "kb891509: kind logon");
    is_str(r->fixed_text, "6.5.7232.0", "kb891509: fixed below KB 901014's 6.5.7233.46");
    ok(version_compare(&r->fixed, &kb901014->fixed) < 0, "kb891509's fix comes first (KB 901014's Mapi32.dll has it)");
    is_int(r->nsettings, 0, "kb891509: no registry setting");
    enum tri c[RULES_MAX_CONDITIONS] = {TRI_FALSE};
    const char *because;
    ok(rules_predict(r, c, &because) == EXPECT_LEAK, "kb891509: without the hotfix, leak");
    c[0] = TRI_TRUE;
    ok(rules_predict(r, c, &because) == EXPECT_NO_LEAK, "kb891509: with it, no leak per logon");
  }
  rules_free(r);
  free(path);
  diag_fini(&d);
}

static void rules_errors(void) {
  rules_fail(HEAD "kind: \"\"\n" PRED, 3, 7, "not a kind of cycle", "empty kind");
  rules_fail(HEAD "kind: \"load:\"\n" PRED, 3, 7, "not a kind of cycle", "load: without a module");
  rules_fail(HEAD "kind: [logon]\n" PRED, 3, 7, "not a text value", "kind that is a list");
  rules_fail(HEAD "colour: red\n" PRED, 3, 1, "unknown key 'colour' in the rules file", "unknown top-level key");
  rules_fail(HEAD "settings:\n  - name: X\n    key: HKLM\\A\n    vaule: 1\n" PRED, 6, 5, "unknown key 'vaule' in a setting", "misspelt setting key");
  rules_fail(HEAD "settings:\n  - name: X\n    key: HKXX\\A\n    value: 1\n" PRED, 5, 10, "unknown hive", "setting key with a bad hive");
  rules_fail(HEAD "settings:\n  - name: X\n    key: HKLM\\A\n    value: 4294967296\n" PRED, 6, 12, "not a DWORD", "DWORD too large");
  rules_fail(HEAD "settings:\n  - name: X\n    key: HKLM\\A\n    value: \"1\"\n" PRED, 6, 12, "not a DWORD", "quoted DWORD");
  rules_fail(HEAD "settings:\n  - name: X\n    key: HKLM\\A\n    type: word\n    value: 1\n" PRED, 6, 11, "unknown setting type", "bad type");
  rules_fail(HEAD "predictions:\n  - when: {hotfix: true, Y: false}\n    expect: leak\n", 4, 26, "unknown condition 'Y'", "condition that is no setting");
  rules_fail(HEAD "predictions:\n  - when: {hotfix: maybe}\n    expect: leak\n", 4, 20, "not true or false", "condition not a boolean");
  rules_fail(HEAD "predictions:\n  - when: {hotfix: true}\n    expect: leaks\n", 5, 13, "not a verdict", "bad expect");
  rules_fail(HEAD "predictions: []\n", 3, 14, "predictions is empty", "no predictions");
  rules_fail("id: KB1\nmodule: {name: a.dll, fixed_version: 1.x}\n" PRED, 2, 38, "not a file version", "bad fixed version");
  rules_fail("id: KB1\nmodule: {name: a.dll}\n" PRED, 2, 9, "no 'fixed_version'", "missing fixed version");
  rules_fail("schema: leakslope/rules/9\n" HEAD PRED, 1, 9, "unknown rules schema", "future schema");
  rules_fail(HEAD "id: KB2\n" PRED, 3, 1, "given twice", "duplicate key");
  rules_fail(HEAD "predictions:\n  - when: {hotfix: true\n    expect: leak\n", 5, 11, "did not find expected", "YAML syntax error keeps the parser's position");
  rules_fail("", 1, 1, "empty file", "empty file");
  rules_fail("- a\n", 1, 1, "not a mapping", "a list instead of a mapping");
}

int main(void) {
  if (!mkdtemp(tmpdir))
    return 99;
  struct rules *r = load_kb901014();
  if (r) {
    kb901014_shape(r);
    kb901014_judged(r);
    kb901014_messages(r);
    kinds(r);
    rules_free(r);
  }
  second_kb();
  rules_errors();
  char *cmd = xasprintf("rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", tmpdir);
  free(cmd);
  return tap_done();
}
