/* Shell quoting for --dry-run. */
#ifndef QUOTE_H
#define QUOTE_H

#include <stdio.h>

/* Writes s to out so that a POSIX shell reads it back as one word, s. */
void quote_word(FILE *out, const char *s);

#endif
