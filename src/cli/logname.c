/*
 * --log FILE sets RUNSCRIPT_LOG, which every program of the tree reads
 * (src/core/log.c writes the lines), to FILE's absolute path, so that a
 * program that changes its directory still writes to the same file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "log.h"
#include "logname.h"

int
log_name(const char *file)
{
	char cwd[PATH_MAX], *value = NULL;
	int err = 0;

	if (*file == '\0')
		return diag_usage("option ", "--log", 5, " needs a FILE");
	if (*file == '/')
		value = strdup(file);
	else if (getcwd(cwd, sizeof cwd) != NULL &&
	         (value = malloc(strlen(cwd) + 1 + strlen(file) + 1)) != NULL)
		sprintf(value, "%s/%s", cwd, file);
	if (value == NULL || setenv(RS_LOG_ENV, value, 1) != 0)
		err = errno;
	free(value);
	return err == 0 ? 0 : diag_cancel(file, "cannot name the log", err);
}
