#!/bin/sh
# layers.sh: the layering of src/, checked from the #include lines.
# - src/core, built into both products, includes only its own headers;
# - no two modules (a.c with a.h) include each other's headers, so that the
#   layers have no cycle.
# Prints each violation and exits 1, or prints nothing.
set -u
cd "$(dirname "$0")/.." || exit 1
status=0

# includes FILE: the quoted headers FILE includes, one a line.
includes() {
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$1"
}

for f in src/core/*.[ch]; do
	for h in $(includes "$f"); do
		if [ ! -f "src/core/$h" ]; then
			echo "layers.sh: $f includes $h, which is not in src/core" >&2
			status=1
		fi
	done
done

# deps MODULE: the modules that src/DIR/NAME's .c and .h include, itself
# left out; a header found in no folder of its own is core's.
deps() {
	for f in "$1.c" "$1.h"; do
		[ -f "$f" ] && includes "$f"
	done | sort -u | while read -r h; do
		d=${1%/*}/${h%.h}
		[ -f "$d.h" ] || d=src/core/${h%.h}
		[ "$d" != "$1" ] && echo "$d"
	done
}

for c in src/*/*.c; do
	m=${c%.c}
	for other in $(deps "$m"); do
		[ -f "$other.c" ] || continue
		if deps "$other" | grep -qx "$m"; then
			echo "layers.sh: $m and $other include each other's headers" >&2
			status=1
		fi
	done
done
exit "$status"
