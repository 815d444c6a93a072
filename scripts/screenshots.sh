#!/usr/bin/env bash
# Refresh docs/screenshots: the browser tests (headless Debian chromium) save a JPEG of every page at
# 1280 and 390 px wide (the first 3,000 px of each). Usage: bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f docs/screenshots/*.jpg docs/screenshots/*.png
ROLESCOPE_SCREENSHOTS=docs/screenshots python -m pytest -q tests/browser/test_web_browser.py
ls -la docs/screenshots
