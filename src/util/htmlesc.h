/* htmlesc — text from input files into HTML element content or a quoted
 * attribute value: & < > " ' escaped, control characters but tab and
 * newline written as a space. */
#ifndef LEAKSLOPE_HTMLESC_H
#define LEAKSLOPE_HTMLESC_H

#include <stdio.h>

void html_escape(FILE *f, const char *s);

#endif
