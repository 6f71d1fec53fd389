# assert.sh: sourced by integration tests; small assertions that say what
# was expected and what was found, and fail the test at once.

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

assert_eq() { # expected actual what
    [ "$1" = "$2" ] || fail "$3: expected '$1', found '$2'"
}

assert_contains() { # haystack needle what
    case $1 in
    *"$2"*) ;;
    *) fail "$3: expected to contain '$2', found '$1'" ;;
    esac
}

assert_not_contains() { # haystack needle what
    case $1 in
    *"$2"*) fail "$3: must not contain '$2'" ;;
    *) ;;
    esac
}

# expect_exit CODE command...: run command, require that exit status; the
# command's stderr is left in $STDERR_FILE for further checks.
expect_exit() {
    want=$1
    shift
    STDERR_FILE=${STDERR_FILE:-$(mktemp)}
    set +e
    "$@" >/dev/null 2>"$STDERR_FILE"
    got=$?
    set -e
    [ "$got" = "$want" ] || fail "$*: expected exit $want, got $got; stderr: $(cat "$STDERR_FILE")"
}

# The nyckel executables under test.
BIN=${NYCKEL_BIN:-$NYCKEL_ROOT/${BUILD:-build}/bin}
