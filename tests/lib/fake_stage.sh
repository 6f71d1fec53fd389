#!/bin/sh
# fake_stage.sh: a stand-in for nyckel-extract, -transform and -load, for
# testing nyckel-run without the real stages.  Installed by fake_stages.sh
# as nyckel-STAGE; what it does is steered by environment variables, where
# STAGE is extract, transform or load:
#
#   FAKE_CALLS             append "STAGE ARGS..." here on every call
#   FAKE_WAIT_STAGE=FILE   wait until FILE exists before finishing
#   FAKE_EXIT_STAGE=CODE   exit with CODE instead of completing
#   FAKE_DATA=DIR          copy DIR/STAGE/* into RUN_DIR/STAGE/ (manifests)
#
# load's summary.json records "dry_run" as the real one does.  Like a real
# stage it logs one line (JSON or text, with the run id taken
# from the run directory's name), removes its own completion file first and
# writes it last through a rename.
set -eu
stage=${0##*/nyckel-}
run_dir= format=text job= dry_run=false
for arg in "$@"; do
    case ${prev:-} in
    --run-dir) run_dir=$arg ;;
    --log-format) format=$arg ;;
    --job) job=$arg ;;
    esac
    [ "$arg" = --dry-run ] && dry_run=true
    prev=$arg
done
[ -n "${FAKE_CALLS:-}" ] && echo "$stage $*" >>"$FAKE_CALLS"
[ -n "$run_dir" ] && [ -n "$job" ] || { echo "fake $stage: --job and --run-dir required" >&2; exit 64; }
run_id=${run_dir##*/}
if [ "$format" = json ]; then
    printf '{"time":"2026-11-23T02:00:00Z","program":"nyckel-%s","level":"info","message":"fake \\"%s\\" working","run_id":"%s"}\n' \
        "$stage" "$stage" "$run_id" >&2
else
    printf '02:00:00 nyckel-%s info  fake %s working  run=%s\n' "$stage" "$stage" "$run_id" >&2
fi

done_file=manifest.json
[ "$stage" = load ] && done_file=summary.json
mkdir -p "$run_dir/$stage"
rm -f "$run_dir/$stage/$done_file"

eval "wait_for=\${FAKE_WAIT_$stage:-}"
if [ -n "$wait_for" ]; then
    while [ ! -e "$wait_for" ]; do sleep 0.05; done
fi
eval "code=\${FAKE_EXIT_$stage:-0}"
if [ "$code" != 0 ]; then
    echo "fake $stage: failing with exit $code as asked" >&2
    exit "$code"
fi

if [ -n "${FAKE_DATA:-}" ] && [ -d "$FAKE_DATA/$stage" ]; then
    cp -R "$FAKE_DATA/$stage/." "$run_dir/$stage/"
    mv "$run_dir/$stage/$done_file" "$run_dir/$stage/$done_file.tmp"
else
    printf '{"stage": "%s", "run_id": "%s", "dry_run": %s, "tables": {}}\n' \
        "$stage" "$run_id" "$dry_run" >"$run_dir/$stage/$done_file.tmp"
fi
mv "$run_dir/$stage/$done_file.tmp" "$run_dir/$stage/$done_file"
