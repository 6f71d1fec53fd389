# report_render.test.sh: the report as a browser shows and prints it.
# Headless Chromium renders the demo report to PNG (a desktop and a phone
# width) and to PDF: the pages are not blank, no chart is wider than its
# box and nothing in a chart falls outside it (a probe script, added to a
# copy only, measures the laid-out page), and the PDF has a page for the
# summary, one per KPI and one for the budget.  The screenshots and the PDF
# stay in $BUILD/test-output/report for a person to look at.
. "$NYCKEL_ROOT/tests/lib/assert.sh"
. "$NYCKEL_ROOT/tests/lib/pg.sh"
. "$NYCKEL_ROOT/tests/lib/report_fixture.sh"

command -v chromium >/dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
command -v pdfinfo >/dev/null || fail "pdfinfo is not installed (poppler-utils, scripts/setup.sh)"
pg_start
work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
out=$NYCKEL_ROOT/${BUILD:-build}/test-output/report
rm -rf "$out"
mkdir -p "$out"
check() { python3 "$NYCKEL_ROOT/tests/lib/report_check.py" "$@"; }

report_build "$work" >/dev/null
cp "$work/report.html" "$out/report.html"
browser() { # chromium in headless mode with a profile of its own, then ARGS
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}

browser --window-size=1000,1400 --screenshot="$out/report.png" "file://$out/report.html" \
    >/dev/null || fail "screenshot: $(tail -3 "$work/chromium.log")"
browser --window-size=390,1600 --screenshot="$out/report-phone.png" "file://$out/report.html" \
    >/dev/null || fail "phone screenshot: $(tail -3 "$work/chromium.log")"
check ink "$out/report.png" 0.02 || fail "the desktop screenshot is blank"
check ink "$out/report-phone.png" 0.02 || fail "the phone screenshot is blank"

check probe "$out/report.html" "$work/probe.html"
for width in 390 1000; do
    browser --window-size=$width,900 --virtual-time-budget=3000 --dump-dom \
        "file://$work/probe.html" >"$work/dom-$width.html" || fail "dump at $width px"
    check layout "$work/dom-$width.html" >"$work/layout" 2>&1 ||
        fail "layout at $width px: $(cat "$work/layout")"
    assert_contains "$(cat "$work/layout")" "svgs=7" "six KPI charts and the budget's measured"
done

browser --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$out/report.html" \
    >/dev/null || fail "printing: $(tail -3 "$work/chromium.log")"
kpis=$(grep -c '<section class="kpi"' "$out/report.html")
budget=$(grep -c '<section class="budget"' "$out/report.html")
assert_eq "(A4) $((1 + kpis + budget))" \
    "$(pdfinfo "$out/report.pdf" | awk '/^Page size:/ { size = $NF } /^Pages:/ { pages = $2 }
                                        END { print size, pages }')" \
    "A4 pages: the summary, one per KPI, the budget"
pdftoppm -r 40 -f 1 -l 1 "$out/report.pdf" "$work/page" &&
    check ink "$work/page-1.ppm" 0.02 || fail "the first printed page is blank"
