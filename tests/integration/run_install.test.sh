# run_install.test.sh: `make install PREFIX=...` puts the executables, one
# man page each, nyckel-job(5), the docs, the schemas, example jobs,
# scheduling, logrotate and alert files under the prefix; the installed nyckel-run works from there and finds its stages
# beside it; `make uninstall` removes everything again.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
prefix=$(mktemp -d /tmp/nyckel-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT

make -s -C "$NYCKEL_ROOT" BUILD="$BUILD" PREFIX="$prefix" install >/dev/null
for program in nyckel-run nyckel-extract nyckel-transform nyckel-load nyckel-report; do
    [ -x "$prefix/bin/$program" ] || fail "$program not installed"
    [ -s "$prefix/share/man/man1/$program.1" ] || fail "$program.1 not installed"
done
ls "$prefix"/share/nyckel/schemas/*.sql >/dev/null || fail "schemas not installed"
ls "$prefix"/share/nyckel/jobs/*.json >/dev/null || fail "example jobs not installed"
[ -f "$prefix/share/nyckel/systemd/nyckel@.service" ] || fail "systemd unit not installed"
[ -f "$prefix/share/nyckel/cron/nyckel" ] || fail "cron file not installed"
[ -f "$prefix/share/nyckel/logrotate/nyckel" ] || fail "logrotate file not installed"
[ -x "$prefix/share/nyckel/alerts/mail-alert" ] || fail "mail-alert not installed"
[ -s "$prefix/share/man/man5/nyckel-job.5" ] || fail "nyckel-job.5 not installed"
for doc in README.md operations.md jobs.md architecture.md warehouse.md; do
    [ -s "$prefix/share/doc/nyckel/$doc" ] || fail "$doc not installed"
done

out=$("$prefix/bin/nyckel-run" --version)
assert_contains "$out" "nyckel-run (nyckel) " "installed nyckel-run --version"

# The installed runner finds the installed stages: a job that cannot work
# (its only source matches no file) fails in extract, not for lack of stages.
mkdir "$prefix/job"
cat >"$prefix/job/none.json" <<'JOB'
{"name": "none", "run_root": "runs",
 "extract": [{"name": "none", "type": "kolada-files", "paths": ["no-such-file.json"]}]}
JOB
set +e
"$prefix/bin/nyckel-run" --log-format json "$prefix/job/none.json" >/dev/null 2>"$prefix/err"
code=$?
set -e
assert_eq 66 "$code" "installed run of a job whose source is missing"
assert_contains "$(cat "$prefix/err")" '"program":"nyckel-extract"' "the installed extract ran"

make -s -C "$NYCKEL_ROOT" BUILD="$BUILD" PREFIX="$prefix" uninstall >/dev/null
left=$(find "$prefix/bin" "$prefix/share" -type f -o -type d -name nyckel)
assert_eq "" "$left" "files left after make uninstall"
