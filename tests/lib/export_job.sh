# export_job.sh: sourced by tests that load one small internal export, a CSV
# of unit, period and amount, into a fresh PostgreSQL.
#
#   export_job_start          a work folder $work with exports/ in it and a
#                             cluster (pg.sh); both go when the test exits
#   export_job_write [COVERS [LOAD]]
#                             $work/job.json: job "exports", source "finance"
#                             reading exports/*.csv (Enhet;Period;Belopp) as
#                             net cost of municipality 0580, no reject
#                             allowed; COVERS (JSON) is the source's covers,
#                             LOAD (JSON) the job's load section
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"

export_job_start() {
    work=$(mktemp -d)
    pg_start
    trap 'pg_stop; rm -rf "$work"' EXIT
    mkdir "$work/exports"
}

export_job_write() {
    covers=${1:+, \"covers\": $1}
    load=${2:+, \"load\": $2}
    cat >"$work/job.json" <<JSON
{ "name": "exports", "run_root": "runs",
  "extract": [ { "name": "finance", "type": "files", "paths": ["exports/*.csv"],
                 "mapping": "finance"$covers } ],
  "transform": { "max_rejects": 0,
    "municipalities": "$NYCKEL_ROOT/jobs/reference/municipalities.csv",
    "mappings": { "finance": {
      "separator": ";", "columns": { "unit": "Enhet", "period": "Period", "value": "Belopp" },
      "constants": { "area": "0580", "measure": "nettokostnad", "scenario": "outcome" },
      "measures": { "nettokostnad": { "title": "Nettokostnad", "unit": "tkr" } } } } }$load }
JSON
}
