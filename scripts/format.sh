#!/bin/sh
# format.sh: clang-format over every C file of the repository, with the
# style in .clang-format (the one the code was written in, see docs/hacking.md).
#
#   scripts/format.sh           rewrite the files in place (make format)
#   scripts/format.sh --check   change nothing; list the files clang-format
#                               would change and fail if there are any
#                               (make format-check, run by .ci/run)
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format missing (make setup)" >&2; exit 1; }
files=$(git ls-files '*.c' '*.h')
if [ "${1:-}" != "--check" ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi
unformatted=0
for f in $files; do
    if ! clang-format "$f" | cmp -s "$f" -; then
        echo "$f"
        unformatted=$((unformatted + 1))
    fi
done
if [ "$unformatted" -gt 0 ]; then
    echo "format-check: $unformatted file(s) not formatted; run make format" >&2
    exit 1
fi
