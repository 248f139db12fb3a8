#!/bin/sh
# tests/plugin/check_exports.sh - usage: check_exports.sh <nm> <plugin.so>...; fails unless every
# library exports exactly one defined dynamic symbol, microcloud_plugin_entry.
set -eu
nm=$1
shift
[ $# -gt 0 ] || { echo "check_exports.sh: no library given" >&2; exit 2; }
status=0
for lib in "$@"; do
    symbols=$("$nm" -D --defined-only "$lib" | awk 'NF { print $NF }' | sort)
    if [ "$symbols" = "microcloud_plugin_entry" ]; then
        echo "ok: $lib exports only microcloud_plugin_entry"
    else
        echo "FAIL: $lib exports:" >&2
        printf '%s\n' "$symbols" | sed 's/^/  /' >&2
        status=1
    fi
done
exit $status
