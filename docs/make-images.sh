#!/usr/bin/env bash
# Regenerate the report pictures in docs/images from the shipped examples.
# Needs cosmicdiff with the pdf extra (WeasyPrint) and pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cosmicdiff compare --baseline baselines/espir examples/regions/* --format pdf \
  --output "$tmp/report.pdf" --today 2026-11-23 || [ $? -eq 1 ]
pdftoppm -png -r 70 -f 2 -l 2 "$tmp/report.pdf" "$tmp/overview"
pdftoppm -png -r 70 -f 3 -l 3 "$tmp/report.pdf" "$tmp/chapter"
cp "$tmp"/overview-*.png docs/images/report-overview.png
cp "$tmp"/chapter-*.png docs/images/report-case-chapter.png
rm -rf "$tmp"
