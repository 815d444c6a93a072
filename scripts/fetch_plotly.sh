#!/usr/bin/env bash
# Rebuild the vendored plotly.js bundle in src/rolescope/assets from the npm registry.
# Needs npm (for `npm pack`), tar and sha256sum. Nothing is installed; the tarball goes to a temp dir.
set -euo pipefail

PACKAGE="plotly.js-cartesian-dist-min"
VERSION="3.1.0"
SHA256="c462b40a1a542e16c3533f97d39fbbb91af4f5267f3cbf23bd70d785efc44c38"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/rolescope/assets"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "$PACKAGE@$VERSION" >/dev/null
tar -xzf "$PACKAGE-$VERSION.tgz"

BUNDLE="package/plotly-cartesian.min.js"
ACTUAL="$(sha256sum "$BUNDLE" | cut -d' ' -f1)"
if [[ "$ACTUAL" != "$SHA256" ]]; then
  echo "sha256 mismatch for $BUNDLE: expected $SHA256, got $ACTUAL" >&2
  exit 1
fi

cp "$BUNDLE" "$DEST/plotly-cartesian-$VERSION.min.js"
cp package/LICENSE "$DEST/plotly.LICENSE.txt"
echo "copied $PACKAGE@$VERSION (sha256 $ACTUAL) to $DEST"
