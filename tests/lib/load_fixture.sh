# load_fixture.sh: sourced by the load_* integration tests to write run
# directories by hand, as nyckel-transform would (docs/architecture.md):
# RUN/transform/<table>.copy files and RUN/transform/manifest.json.
#
#   fixture_job FILE [LOAD_JSON] [WAREHOUSE_JSON]   a job file with those sections
#   fixture_run RUN                  start an empty run directory
#   fixture_table RUN TABLE COLS     rows on stdin, fields split by '|',
#                                    \N for NULL; COLS comma-separated
#   fixture_done RUN                 write transform/manifest.json
#   fixture_kolada RUN ...           see below: a small Kolada run
#   fixture_source RUN               the run's one source, s1
#   fact_definitions [TABLE]         a fact table's constraints and indexes
#   assert_values_keyed WHAT         the Kolada values' key and dimensions hold

fixture_job() {
    {
        printf '{"name": "loadtest",\n "extract": [{"name": "demo", "type": "files", "paths": ["x.json"]}]'
        [ -n "${2:-}" ] && printf ',\n "load": %s' "$2"
        [ -n "${3:-}" ] && printf ',\n "warehouse": %s' "$3"
        printf '}\n'
    } >"$1"
}

fixture_run() {
    rm -rf "$1"
    mkdir -p "$1/transform"
    : >"$1/transform/.tables"
}

fixture_table() {
    tr '|' '\t' >"$1/transform/$2.copy"
    rows=$(wc -l <"$1/transform/$2.copy" | tr -d ' ')
    sha=$(sha256sum "$1/transform/$2.copy" | cut -d' ' -f1)
    printf '%s %s %s %s\n' "$2" "$3" "$rows" "$sha" >>"$1/transform/.tables"
}

fixture_done() {
    {
        printf '{"stage": "transform", "run_id": "%s", "finished_at": "2026-11-23T02:00:00Z",\n' \
            "$(basename "$1")"
        printf ' "extract_manifest_sha256": "%064d",\n "tables": [\n' 0
        sep=""
        while read -r table cols rows sha; do
            quoted=$(printf '%s' "$cols" | sed 's/[^,][^,]*/"&"/g; s/,/, /g')
            printf '%s  {"table": "%s", "file": "%s.copy", "columns": [%s], "rows": %s, "sha256": "%s"}' \
                "$sep" "$table" "$table" "$quoted" "$rows" "$sha"
            sep=",
"
        done <"$1/transform/.tables"
        printf '\n ],\n "sources": [{"path": "raw/demo/1.json", "uri": "file:///demo/1.json", "sha256": "%064d", "rows_read": 1, "rows_written": 1, "rows_rejected": 0}],\n' 1
        printf ' "rejects": {"file": "rejects.jsonl", "rows": 0}}\n'
    } >"$1/transform/manifest.json"
    rm -f "$1/transform/.tables"
}

FIXTURE_KPI_COLS=kpi_id,title,description,operating_area,is_divided_by_gender,municipality_type,has_ou_data,publication_date,auspices,perspective
FIXTURE_AREA_COLS=area_id,title,area_type,municipality_type,county_code,county_region_id
FIXTURE_FACT_COLS=kpi_id,area_id,period_id,gender,value,value_count,status,source_ref
FIXTURE_DELETED_COLS=kpi_id,area_id,period_id,gender,source_ref
FIXTURE_OU_FACT_COLS=kpi_id,ou_id,period_id,gender,value,value_count,status,source_ref

# A small Kolada run: one source, two KPIs, Riket, a region, three
# municipalities, one group, years 2022 and 2023.  The KPI title of N00001
# and the facts come from the arguments so that tests can vary them.
#   fixture_kolada RUN KPI_TITLE   facts on stdin (FIXTURE_FACT_COLS, '|')
fixture_kolada() {
    fixture_run "$1"
    fixture_source "$1"
    fixture_kolada_dimensions "$1" "$2"
    fixture_table "$1" fact_kpi_value "$FIXTURE_FACT_COLS"
}

# fixture_source RUN: the run's one source, s1, a file named after the run.
fixture_source() {
    fixture_table "$1" source source_ref,uri,sha256,size,fetched_at <<ROWS
s1|file:///demo/$(basename "$1").json|$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)|100|2026-11-23T02:00:01Z
ROWS
}

# fixture_kolada_dimensions RUN KPI_TITLE: fixture_kolada's dimension tables.
fixture_kolada_dimensions() {
    fixture_table "$1" dim_kpi "$FIXTURE_KPI_COLS" <<ROWS
N00001|$2|Andel|Äldreomsorg|t|K|f|2024-03-01|K|Kvalitet
N00002|Kostnad hemtjänst|kr per invånare|Äldreomsorg|f|K|f|\N|K|Resurser
ROWS
    fixture_table "$1" dim_area "$FIXTURE_AREA_COLS" <<'ROWS'
0000|Riket|country|\N|\N|\N
0001|Region Stockholm|region|L|01|\N
0180|Stockholm|municipality|K|01|0001
0182|Nacka|municipality|K|01|0001
0114|Upplands Väsby|municipality|K|01|0001
G1|Storstäder|group|\N|\N|\N
ROWS
    fixture_table "$1" area_group_member group_id,member_id <<'ROWS'
G1|0180
G1|0182
ROWS
    fixture_table "$1" dim_period period_id,granularity,year,start_date,end_date <<'ROWS'
2022|year|2022|2022-01-01|2022-12-31
2023|year|2023|2023-01-01|2023-12-31
ROWS
}

# fact_definitions [TABLE]: the constraints (and whether validated) and
# indexes of nyckel.TABLE (fact_kpi_value), to show that dropping and
# rebuilding kept them.
fact_definitions() {
    pg_value "SELECT string_agg(d, '; ' ORDER BY d) FROM (
        SELECT conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated AS d
        FROM pg_constraint WHERE conrelid = 'nyckel.${1:-fact_kpi_value}'::regclass
        UNION ALL SELECT indexdef FROM pg_indexes
        WHERE schemaname = 'nyckel' AND tablename = '${1:-fact_kpi_value}') x"
}

# assert_values_keyed WHAT: after a load that dropped and rebuilt the
# Kolada values' keys (WHAT names it), a repeated key is refused and every
# value's KPI, area and period is in its dimension (the merge's guarantee;
# migration 022 dropped those foreign keys).
assert_values_keyed() {
    out=$(psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO nyckel.fact_kpi_value
        SELECT * FROM nyckel.fact_kpi_value LIMIT 1" 2>&1) &&
        fail "a repeated key was accepted after $1"
    assert_contains "$out" "fact_kpi_value_pkey" "primary key enforced after $1"
    assert_eq 0 "$(pg_value "SELECT count(*) FROM nyckel.fact_kpi_value f
        WHERE NOT EXISTS (SELECT 1 FROM nyckel.dim_kpi d WHERE d.kpi_id = f.kpi_id)
           OR NOT EXISTS (SELECT 1 FROM nyckel.dim_area d WHERE d.area_id = f.area_id)
           OR NOT EXISTS (SELECT 1 FROM nyckel.dim_period d WHERE d.period_id = f.period_id)")" \
        "after $1 every value's KPI, area and period is in its dimension"
}

# warehouse_state: one checksum of everything a load may change (facts,
# dimensions, history, lineage, audit, the benchmark mart), to show that a
# failed load changed nothing.
warehouse_state() {
    pg_value "SELECT md5(string_agg(t, ',' ORDER BY t)) FROM (
        SELECT f.*::text FROM nyckel.fact_kpi_value f UNION ALL SELECT k.*::text FROM nyckel.dim_kpi k
        UNION ALL SELECT a.*::text FROM nyckel.dim_area a UNION ALL SELECT h.*::text FROM nyckel.dim_kpi_history h
        UNION ALL SELECT r.*::text FROM nyckel.run r UNION ALL SELECT t.*::text FROM nyckel.run_table t
        UNION ALL SELECT s.*::text FROM nyckel.dim_source s UNION ALL SELECT b.*::text FROM mart.benchmark b) x(t)"
}

# hold_lock SQL: another session (application_name test_holder) runs SQL,
# which takes a lock, and then sleeps holding it; returns once it sleeps.
# Its pid is in $holder_pid, for the test's exit trap.
hold_lock() {
    psql -X -q -c "SET application_name = 'test_holder'; $1; SELECT pg_sleep(600)" >/dev/null 2>&1 &
    holder_pid=$!
    until [ "$(pg_value "SELECT count(*) FROM pg_stat_activity
                         WHERE application_name = 'test_holder' AND wait_event = 'PgSleep'")" = 1 ]; do
        sleep 0.1
    done
}

# release_lock: end the session hold_lock started.
release_lock() {
    pg_value "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'test_holder'" >/dev/null
    wait "$holder_pid" 2>/dev/null || true
    holder_pid=
}
