/* tzres — known time-zone resource references (see tzres.h). */
#include "config.h"
#include "perfmon/tzres.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* A zone's standard name is its display string's number + 2, its daylight
 * name + 1 (-210, -211, -212 for Pacific; -110, -111, -112 for Eastern, in
 * the logs and in public registry readouts alike). */
static const struct {
  long id, bias, daylight_bias;
  const char *name;
} known[] = {
    {111, 300, -60, "Eastern Daylight Time"}, /* the Vista log (EDT samples) */
    {112, 300, -60, "Eastern Standard Time"},
    {211, 480, -60, "Pacific Daylight Time"}, /* the Win8 and Win10 logs */
    {212, 480, -60, "Pacific Standard Time"}, /* the Win10 log's CSV export */
};

/* The number of "@tzres.dll,-N", or -1 for any other string. */
static long reference_id(const char *s) {
  static const char file[] = "@tzres.dll,-";
  size_t n = sizeof file - 1;
  if (strncasecmp(s, file, n) != 0 || !s[n])
    return -1;
  long id = 0;
  for (const char *p = s + n; *p; p++) {
    if (*p < '0' || *p > '9' || id > 1000000)
      return -1;
    id = id * 10 + (*p - '0');
  }
  return id;
}

bool tzres_is_reference(const char *s) {
  const char *comma = s[0] == '@' ? strchr(s, ',') : NULL;
  if (!comma || comma == s + 1 || comma[1] != '-' || !comma[2])
    return false;
  for (const char *p = comma + 2; *p; p++)
    if (*p < '0' || *p > '9')
      return false;
  return true;
}

const char *tzres_name(const char *s, long bias, long daylight_bias) {
  long id = reference_id(s);
  for (size_t i = 0; id >= 0 && i < sizeof known / sizeof known[0]; i++)
    if (known[i].id == id)
      return known[i].bias == bias && known[i].daylight_bias == daylight_bias ? known[i].name
                                                                                : NULL;
  return NULL;
}
