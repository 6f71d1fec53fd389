#!/bin/sh
# setup.sh: install the Debian packages nyckel needs to build, test and demo.
#
# Both README commands (`make demo`, `make check`) call this first, so a fresh
# Debian 12 machine needs nothing else. As root it installs what is missing with
# apt-get; as anyone else it prints the exact apt-get line to run and fails.
set -eu

# Build: compiler, pkg-config and the libraries named in the README.
# Run: the PostgreSQL server for the demo and tests, python3 for the fixture
# HTTP server and the data generators, clang for the fuzzers and the
# sanitizer build (make fuzz, make check-sanitize), valgrind for make
# check-valgrind, clang-format for make format-check,
# chromium and poppler-utils (pdfinfo, pdftoppm) for the test that renders
# nyckel-report's page to PNG and PDF.
# Only for making test data again, and asked for with --extra by the script
# that needs them: python3-openpyxl and libreoffice-calc-nogui
# (scripts/gen-workbooks.sh).
PACKAGES="build-essential pkg-config libpq-dev libcurl4-openssl-dev libjansson-dev
libarchive-dev libcmocka-dev libexpat1-dev libssl-dev libyajl-dev postgresql postgresql-client
python3 zstd clang libclang-rt-14-dev clang-format valgrind chromium poppler-utils"

if [ "${1:-}" = "--extra" ]; then
    shift
    PACKAGES="$PACKAGES $*"
fi

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "nyckel: missing Debian packages:$missing" >&2
    echo "nyckel: install them with: sudo apt-get install -y$missing" >&2
    exit 1
fi

echo "nyckel: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
