/* Unit tests of the time-zone resource names: the references the corpus's
 * logs store, a reference on a zone of other biases (not named), unknown
 * numbers and strings that only look like references. */
#include "config.h"
#include "perfmon/tzres.h"
#include "tap.h"

#include <stddef.h>

static const char *name(const char *s, long bias, long dst) {
  const char *n = tzres_name(s, bias, dst);
  return n ? n : "(none)";
}

int main(void) {
  is_str(name("@tzres.dll,-212", 480, -60), "Pacific Standard Time", "Win10/Win8 standard name");
  is_str(name("@tzres.dll,-211", 480, -60), "Pacific Daylight Time", "... and daylight name");
  is_str(name("@tzres.dll,-112", 300, -60), "Eastern Standard Time", "Vista standard name");
  is_str(name("@TZRES.DLL,-111", 300, -60), "Eastern Daylight Time",
         "the file name's case does not matter");
  is_str(name("@tzres.dll,-112", 480, -60), "(none)", "Eastern's number on bias 480: not named");
  is_str(name("@tzres.dll,-212", 480, 0), "(none)", "Pacific's number without DST: not named");
  is_str(name("@tzres.dll,-999", 480, -60), "(none)", "an unknown number");
  is_str(name("@tzres.dll,-", 480, -60), "(none)", "no number");
  is_str(name("Pacific Standard Time", 480, -60), "(none)", "a plain name is not looked up");
  ok(tzres_is_reference("@tzres.dll,-999") && tzres_is_reference("@other.dll,-1") &&
         !tzres_is_reference("SA Eastern Standard Time") && !tzres_is_reference("@tzres.dll,-") &&
         !tzres_is_reference("@,-1") && !tzres_is_reference("@tzres.dll,-12a") &&
         !tzres_is_reference(""),
     "what has the shape of a resource reference");
  return tap_done();
}
