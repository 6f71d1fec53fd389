# install_units.test.sh: `make install PREFIX=...` writes the prefix into
# the systemd units, the cron and the logrotate file; the installed units
# pass `systemd-analyze verify` and nyckel@.service rates at most 4.0 ("OK")
# in `systemd-analyze security` (offline, as a unit file); the installed
# mail-alert example hands sendmail a mail with the summary.  Without
# systemd-analyze the unit checks print one "skipped" line.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
prefix=$(mktemp -d /tmp/nyckel-units.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
make -s -C "$NYCKEL_ROOT" BUILD="$BUILD" PREFIX="$prefix" install >/dev/null
share=$prefix/share/nyckel

for f in systemd/nyckel@.service systemd/nyckel-alert@.service cron/nyckel logrotate/nyckel; do
    assert_not_contains "$(cat "$share/$f")" "@PREFIX@" "installed $f"
done
assert_contains "$(cat "$share/systemd/nyckel@.service")" "ExecStart=$prefix/bin/nyckel-run " \
    "the unit runs the installed nyckel-run"
assert_contains "$(cat "$share/cron/nyckel")" "&& $prefix/bin/nyckel-run " \
    "the cron file runs the installed nyckel-run"
assert_contains "$(cat "$share/systemd/nyckel@.service")" "OnFailure=nyckel-alert@%i.service" \
    "the unit's failures reach the alert unit"

# mail-alert without mail(1): sendmail gets the headers and the summary.
tools=$prefix/tools
mkdir "$tools"
ln -s "$(command -v cat)" "$(command -v hostname)" "$tools/"
printf '#!/bin/sh\necho "$@" >"%s/sendmail.args"\ncat >"%s/sendmail.mail"\n' "$prefix" "$prefix" \
    >"$tools/sendmail"
chmod 755 "$tools/sendmail"
echo '{"job": "demo", "status": "failed", "exit_code": 69}' |
    PATH=$tools NYCKEL_JOB=demo NYCKEL_STATUS=failed NYCKEL_EXIT_CODE=69 \
        NYCKEL_RUN_DIR=/var/lib/nyckel/runs/x "$share/alerts/mail-alert" it@example.se ops@example.se
assert_eq "-oi it@example.se ops@example.se" "$(cat "$prefix/sendmail.args")" "sendmail's arguments"
mail=$(cat "$prefix/sendmail.mail")
assert_contains "$mail" "To: it@example.se, ops@example.se" "mail header"
assert_contains "$mail" "Subject: nyckel: job demo failed on " "mail subject"
assert_contains "$mail" "(exit status 69)" "mail subject"
assert_contains "$mail" '{"job": "demo", "status": "failed", "exit_code": 69}' "mail body"

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "skipped: systemd-analyze is not installed"
    exit 0
fi
cd "$share/systemd"
systemd-analyze verify --man=no ./nyckel@demo.service ./nyckel-alert@demo.service \
    ./nyckel-nightly@demo.timer ./nyckel-monthly@demo.timer >"$prefix/verify" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$prefix/verify")"
[ ! -s "$prefix/verify" ] || fail "systemd-analyze verify complains: $(cat "$prefix/verify")"
systemd-analyze security --offline=true ./nyckel@demo.service >"$prefix/security" 2>&1 ||
    fail "systemd-analyze security: $(cat "$prefix/security")"
score=$(sed -n 's/.*Overall exposure level for nyckel@demo.service: \([0-9.]*\).*/\1/p' \
    "$prefix/security")
[ -n "$score" ] || fail "no exposure level in: $(tail -3 "$prefix/security")"
awk -v s="$score" 'BEGIN { exit !(s <= 4.0) }' ||
    fail "nyckel@.service rates $score, more than 4.0: $(grep '✗' "$prefix/security")"
echo "nyckel@.service: exposure $score"
