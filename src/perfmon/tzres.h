/* tzres — the time-zone names a binary perfmon log stores as a Windows
 * resource reference ("@tzres.dll,-212"), as the names relog prints
 * ("Pacific Standard Time").
 *
 * Since Vista, TIME_ZONE_INFORMATION's StandardName and DaylightName hold
 * such a reference, resolved by Windows from its own tzres.dll, which we
 * neither have nor may copy. Only the references the corpus and public
 * registry readouts pin down are named here (formats/README-perfmon.md says
 * which and on what evidence); each is checked against the zone's Bias and
 * DaylightBias, so a reference on a zone with other rules is not named. No
 * I/O. */
#ifndef LEAKSLOPE_TZRES_H
#define LEAKSLOPE_TZRES_H

#include <stdbool.h>

/* Whether s has the shape of a resource reference: "@FILE,-DIGITS". */
bool tzres_is_reference(const char *s);

/* The English name behind reference s on a zone of these biases (minutes,
 * as TIME_ZONE_INFORMATION stores them), or NULL when it is not known. */
const char *tzres_name(const char *s, long bias, long daylight_bias);

#endif
