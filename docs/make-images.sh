#!/usr/bin/env bash
# Regenerate the report pictures in docs/images from the shipped examples.
# Needs cosmicdiff with the pdf extra (WeasyPrint), pdftoppm (poppler-utils) and a headless
# Chromium (chromium, or set CHROMIUM=/path/to/chrome) for the HTML pages.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${CHROMIUM:-chromium}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the printed report: the overview (score table and chart) and a case chapter
cosmicdiff compare --baseline baselines/espir examples/regions/* --format pdf \
  --output "$tmp/report.pdf" --today 2026-11-23 || [ $? -eq 1 ]
pdftoppm -png -r 70 -f 2 -l 2 "$tmp/report.pdf" "$tmp/overview"
pdftoppm -png -r 70 -f 3 -l 3 "$tmp/report.pdf" "$tmp/chapter"
cp "$tmp"/overview-*.png docs/images/report-overview.png
cp "$tmp"/chapter-*.png docs/images/report-case-chapter.png

shot() {  # shot PAGE.html PICTURE.png WIDTH HEIGHT: the top of an HTML page, as a browser shows it
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --screenshot="$PWD/$2" --window-size="$3,$4" "file://$1" 2>/dev/null
}

# the matrix page: summary, agreement heatmap and the first rows of a case
cosmicdiff -q matrix --baseline baselines/espir examples/regions/* --today 2026-11-23 \
  --output "$tmp/matrix.html"
shot "$tmp/matrix.html" docs/images/matrix-overview.png 1100 1000

# the trend page over three saved results: the examples as they were on three days
# (Jönköping's export edited as tests/test_trend_command.py does), oldest first
for step in 1 2 3; do
  rm -rf "$tmp/regions" && cp -r examples/regions "$tmp/regions"
  xml="$tmp/regions/jonkoping/rjl-cosmic-export.xml"
  case $step in
    1) day=2026-09-01
       sed -i -e 's|name="S-Kalcium" type="Numeric" unit="mmol/L"|name="S-Kalcium" type="Numeric" unit="mmol/l"|' \
         -e 's|name="Puls" |name="PULS" |' -e 's|name="Trombektomi genomförd"|name="Trombektomi gjord"|' "$xml" ;;
    2) day=2026-10-15; sed -i -e 's|name="Puls" |name="PULS" |' "$xml" ;;
    3) day=2026-11-23; sed -i -e 's|name="AKTUELLT"|name="Aktuellt"|' "$xml" ;;
  esac
  cosmicdiff -q compare --baseline baselines/espir "$tmp"/regions/* --today "$day" \
    --format json --output "$tmp/result-$day.json" || [ $? -eq 1 ]
done
cosmicdiff -q trend "$tmp"/result-2026-09-01.json "$tmp"/result-2026-10-15.json \
  "$tmp"/result-2026-11-23.json --output "$tmp/trend.html"
shot "$tmp/trend.html" docs/images/trend.png 1100 1250
