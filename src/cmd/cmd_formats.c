/* cmd_formats — `leakslope formats`: the trace formats, rules files and
 * counter-alias tables this binary can see, where each comes from (built
 * in, --formats, $LEAKSLOPE_DATADIR, ~/.config, installed, source tree,
 * beside the binary),
 * which file wins when two folders have one of the same name, and which
 * files do not load. A user's own layouts and rules are checked this way. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/commands.h"
#include "evidence/rules.h"
#include "trace/event_map.h"
#include "report/provenance.h"
#include "trace/trace.h"
#include "trace/trace_layout.h"
#include "util/datadir.h"
#include "util/outfile.h"
#include "util/tree.h"
#include "util/xalloc.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_FORMATS };

static const struct cli_option formats_options[] = {
    {OPT_FORMAT, "format", 'f', "FMT", "text, json or yaml (default: from -o's extension, else text)"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write to FILE atomically: .txt, .json, .yaml or .yml; - is stdout"},
    {OPT_FORMATS, "formats", 0, "DIR", "look for data files in DIR first (and list them)"},
    {0, NULL, 0, NULL, NULL}};

/* Is an entry of this name already in list (an earlier folder wins)? */
static bool listed(const struct tree *list, const char *name) {
  for (size_t i = 0; i < tree_len(list); i++) {
    const struct tree *o = tree_at(list, i);
    const char *n = tree_get_str(tree_get(o, "name"));
    if (n && !strcmp(n, name) && !tree_get_str(tree_get(o, "error")))
      return true;
  }
  return false;
}

/* {name, file, source, shadowed}: shadowed when an earlier folder (or a
 * built-in format) already has this name. */
static struct tree *entry(struct tree *list, const char *name, const char *file,
                          const char *source) {
  bool shadowed = listed(list, name);
  struct tree *o = tree_push(list, tree_obj());
  tree_set_str(o, "name", name);
  tree_set_str(o, "file", file);
  tree_set_str(o, "source", source);
  tree_set_bool(o, "shadowed", shadowed);
  return o;
}

/* The file's name without folder and .yaml: a rules file's NAME. */
static char *stem(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t n = strlen(base);
  return xstrndup(base, n > 5 ? n - 5 : n);
}

/* Load one data file and set its kind's own fields on o: its entry's name
 * (malloc'ed), or NULL with d filled when it does not load (o then gets
 * the fields the kind has for such a file). */
typedef char *describe_fn(const char *path, struct tree *o, struct diag *d);

/* An entry per NAME.yaml of DIR/SUB: name, file, source, shadowed, the
 * kind's fields, then error (null, or why the file does not load; its name
 * is then the file's stem). *broken counts those. */
static void add_files(struct tree *list, const char *dir, const char *sub,
                      const char *source, describe_fn *describe, size_t *broken) {
  char *folder = xasprintf("%s/%s", dir, sub);
  size_t n;
  char **files = datadir_yaml_files(folder, &n);
  for (size_t i = 0; i < n; i++) {
    /* the keys in entry()'s order first: name and shadowed are known only
     * once the file is read, and set in place then */
    struct tree *o = tree_obj();
    tree_set_null(o, "name");
    tree_set_str(o, "file", files[i]);
    tree_set_str(o, "source", source);
    tree_set_bool(o, "shadowed", false);
    struct diag d;
    diag_init(&d);
    char *name = describe(files[i], o, &d);
    char *error = name ? NULL : diag_format(&d);
    if (!name) {
      name = stem(files[i]);
      (*broken)++;
    }
    tree_set_str(o, "name", name);
    tree_set_bool(o, "shadowed", listed(list, name));
    tree_set_str(o, "error", error);
    tree_push(list, o);
    free(error);
    free(name);
    diag_fini(&d);
    free(files[i]);
  }
  free(files);
  free(folder);
}

static char *describe_layout(const char *path, struct tree *o, struct diag *d) {
  struct trace_layout *l = NULL;
  if (trace_layout_parse_file(path, &l, d) != 0)
    return NULL;
  tree_set_str(o, "summary", l->summary);
  tree_set_bool(o, "loads_only", l->loads_only);
  char *name = xstrdup(l->name);
  trace_layouts_free(l);
  return name;
}

static char *describe_rules(const char *path, struct tree *o, struct diag *d) {
  struct rules *r = rules_load(path, d);
  tree_set_str(o, "id", r ? r->id : NULL);
  tree_set_str(o, "title", r ? r->title : NULL);
  char *name = r ? stem(path) : NULL;
  rules_free(r);
  return name;
}

/* The kinds a map names, once each: "logon, session". */
static char *map_kinds(const struct event_map *m) {
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; i < m->nrules; i++) {
    const char *k = m->rules[i].module + 1;
    bool seen = false;
    for (size_t j = 0; j < i; j++)
      seen = seen || !strcmp(m->rules[j].module, m->rules[i].module);
    if (!seen)
      strbuf_addf(&b, "%s%s", b.len ? ", " : "", k);
  }
  return strbuf_detach(&b);
}

static char *describe_event_map(const char *path, struct tree *o, struct diag *d) {
  struct event_map *m = NULL;
  if (event_map_parse_file(path, &m, d) != 0) {
    tree_set_null(o, "provider");
    tree_set_null(o, "summary");
    return NULL;
  }
  char *kinds = map_kinds(m);
  char *about = xasprintf("provider %s: %s", m->provider, kinds);
  tree_set_str(o, "provider", m->provider);
  tree_set_str(o, "summary", about);
  free(about);
  free(kinds);
  char *name = xstrdup(m->name);
  event_maps_free(m);
  return name;
}

static bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Everything into one tree; *broken counts the files that do not load. */
static struct tree *formats_tree(size_t *broken) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/formats/1");
  struct tree *folders = tree_set(t, "folders", tree_arr());
  struct tree *traces = tree_set(t, "trace_formats", tree_arr());
  struct tree *rules = tree_set(t, "rules", tree_arr());
  struct tree *maps = tree_set(t, "event_maps", tree_arr());
  struct tree *aliases = tree_set(t, "counter_aliases", tree_arr());
  for (size_t i = 0; trace_formats[i]; i++) {
    struct tree *o = entry(traces, trace_formats[i]->name, NULL, "built-in");
    tree_set_str(o, "summary", trace_formats[i]->summary);
    tree_set_bool(o, "loads_only", trace_formats[i]->loads_only);
    tree_set_null(o, "error");
  }
  char *dirs[DATADIR_MAX];
  const char *from[DATADIR_MAX];
  size_t n = datadir_dirs_from(dirs, from);
  for (size_t i = 0; i < n; i++) {
    struct tree *f = tree_push(folders, tree_obj());
    tree_set_str(f, "path", dirs[i]);
    tree_set_str(f, "source", from[i]);
    tree_set_bool(f, "exists", is_dir(dirs[i]));
    add_files(traces, dirs[i], "trace", from[i], describe_layout, broken);
    add_files(rules, dirs[i], "rules", from[i], describe_rules, broken);
    add_files(maps, dirs[i], "events", from[i], describe_event_map, broken);
    char *aliases_file = xasprintf("%s/counters.yaml", dirs[i]);
    if (is_file(aliases_file)) {
      struct tree *o = tree_push(aliases, tree_obj());
      tree_set_str(o, "file", aliases_file);
      tree_set_str(o, "source", from[i]);
      tree_set_bool(o, "shadowed", tree_len(aliases) > 1);
    }
    free(aliases_file);
    free(dirs[i]);
  }
  tree_set(t, "provenance", provenance_new(cli_command_line()));
  return t;
}

static void text_list(FILE *f, const char *title, const struct tree *list) {
  fprintf(f, "\n%s:\n", title);
  if (tree_len(list) == 0)
    fprintf(f, "  (none)\n");
  for (size_t i = 0; i < tree_len(list); i++) {
    const struct tree *o = tree_at(list, i);
    const char *name = tree_get_str(tree_get(o, "name"));
    const char *file = tree_get_str(tree_get(o, "file"));
    const char *source = tree_get_str(tree_get(o, "source"));
    const char *error = tree_get_str(tree_get(o, "error"));
    const char *about = tree_get_str(tree_get(o, "summary"));
    const char *id = tree_get_str(tree_get(o, "id"));
    bool shadowed = tree_get_bool(tree_get(o, "shadowed"));
    fprintf(f, "  %-16s %s%s%s%s\n", name ? name : file, source,
            file ? ": " : "", file ? file : "", shadowed ? " (shadowed: an earlier folder has it)" : "");
    if (error)
      fprintf(f, "  %-16s error: %s\n", "", error);
    else if (about)
      fprintf(f, "  %-16s %s\n", "", about);
    else if (id)
      fprintf(f, "  %-16s %s: %s\n", "", id, tree_get_str(tree_get(o, "title")));
  }
}

static void write_text(FILE *f, const struct tree *t) {
  const struct tree *folders = tree_get(t, "folders");
  fprintf(f, "data folders, searched in this order:\n");
  for (size_t i = 0; i < tree_len(folders); i++) {
    const struct tree *o = tree_at(folders, i);
    fprintf(f, "  %zu. %s (%s)%s\n", i + 1, tree_get_str(tree_get(o, "path")),
            tree_get_str(tree_get(o, "source")),
            tree_get_bool(tree_get(o, "exists")) ? "" : ": not there");
  }
  text_list(f, "trace formats", tree_get(t, "trace_formats"));
  text_list(f, "rules", tree_get(t, "rules"));
  text_list(f, "event maps (named cycles from a provider's events)", tree_get(t, "event_maps"));
  const struct tree *al = tree_get(t, "counter_aliases");
  fprintf(f, "\ncounter aliases:\n");
  if (tree_len(al) == 0)
    fprintf(f, "  (none: counter names must be given in the log's language)\n");
  for (size_t i = 0; i < tree_len(al); i++) {
    const struct tree *o = tree_at(al, i);
    fprintf(f, "  %s: %s%s\n", tree_get_str(tree_get(o, "source")),
            tree_get_str(tree_get(o, "file")),
            tree_get_bool(tree_get(o, "shadowed")) ? " (shadowed: an earlier folder has one)"
                                                     : "");
  }
}

struct formats_output {
  const struct tree *t;
  enum out_format format;
};

static int write_formats(struct outfile *out, void *ctx) {
  const struct formats_output *o = ctx;
  FILE *f = outfile_stream(out);
  if (o->format == OUT_JSON)
    return tree_write_json(o->t, f);
  if (o->format == OUT_YAML)
    return tree_write_yaml(o->t, f);
  write_text(f, o->t);
  return ferror(f) ? -1 : 0;
}

static int run_formats(const struct command *cmd, int argc, char **argv) {
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  const char *format = NULL, *output = NULL, *dir = NULL;
  int id;
  while ((id = cli_next_option(&p)) > 0) {
    if (id == OPT_FORMAT)
      format = p.arg;
    else if (id == OPT_OUTPUT)
      output = p.arg;
    else if (id == OPT_FORMATS)
      dir = p.arg;
  }
  int first = cli_operand_index(&p);
  int status = id == CLI_DONE_EXIT ? p.status : -1;
  cli_parser_fini(&p);
  if (status >= 0)
    return status;
  if (!cli_operands(cmd, NULL, argc, argv, first, 0, 0))
    return EXIT_USAGE;
  int f = cli_output_format(cmd, NULL, format, output,
                            OUT_SET(OUT_TEXT) | OUT_SET(OUT_JSON) | OUT_SET(OUT_YAML));
  if (f < 0)
    return EXIT_USAGE;
  if (dir)
    datadir_set_formats(dir);
  size_t broken = 0;
  struct tree *t = formats_tree(&broken);
  struct formats_output o = {t, (enum out_format)f};
  struct diag d;
  diag_init(&d);
  status = outfile_save(output, write_formats, &o, &d) == 0 ? EXIT_OK : cli_fail(&d);
  diag_fini(&d);
  tree_free(t);
  if (status == EXIT_OK && broken > 0) {
    fprintf(stderr, "leakslope: %zu data file(s) do not load (see 'error' above)\n", broken);
    status = EXIT_DATAERR;
  }
  return status;
}

const struct command cmd_formats = {
    .name = "formats",
    .run = run_formats,
    .summary = "List the trace formats, rules and counter aliases it can see",
    .usage = "[OPTIONS]",
    .description =
        "Lists the data folders in the order they are searched (--formats DIR,\n"
        "$LEAKSLOPE_DATADIR, ~/.config/leakslope/formats, the installed folder, then\n"
        "../share/leakslope/formats beside the binary when it is another folder),\n"
        "the trace formats (built in, or a layout YAML under trace/), the rules files\n"
        "under rules/ with their KB and title, the event maps under events/ (which\n"
        "provider's events begin and end a named cycle), and the counter-alias tables\n"
        "(counters.yaml), each with the folder it comes from. A file of the same name\n"
        "in an earlier folder wins: the later one is marked shadowed. Every file is\n"
        "loaded, so a layout or rules file of your own is checked here: one that does\n"
        "not load is listed with its error, and the exit status is then 65.",
    .options = formats_options,
};
