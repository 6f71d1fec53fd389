#!/bin/sh
# c-string.sh: print a text file as the lines of one C string literal, so
# that a build can compile data files into an executable.
#
#   scripts/c-string.sh FILE
#
# Backslashes, quotes and question marks (trigraphs) are escaped; each line
# keeps its newline.
set -eu
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/      "/' -e 's/$/\\n"/' "$1"
