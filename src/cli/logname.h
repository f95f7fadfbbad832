/* --log FILE: the log of the tree, named in its environment. */
#ifndef LOGNAME_H
#define LOGNAME_H

/*
 * Names FILE, made absolute, in RUNSCRIPT_LOG for the tree. Returns 0, or
 * the exit status after saying why not.
 */
int log_name(const char *file);

#endif
