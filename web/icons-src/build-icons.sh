#!/usr/bin/env bash
# Regenerates web/public/icons/ from mark.svg.part (needs rsvg-convert: apt-get install librsvg2-bin).
# The PNGs are committed, so building the web app does not need this.
set -euo pipefail
cd "$(dirname "$0")"
out=../public/icons
maskable=$(mktemp --suffix=.svg)
trap 'rm -f "$maskable"' EXIT
{ echo '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">'
  echo '  <rect width="512" height="512" rx="112" fill="#0f6e66"/>'
  cat mark.svg.part
  echo '</svg>'; } > "$out/icon.svg"
# Maskable: full-bleed background, the mark inside the 80 % safe zone.
{ echo '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">'
  echo '  <rect width="512" height="512" fill="#0f6e66"/>'
  echo '  <g transform="translate(51.2 51.2) scale(0.8)">'
  cat mark.svg.part
  echo '  </g>'
  echo '</svg>'; } > "$maskable"
rsvg-convert -w 192 -h 192 "$out/icon.svg" -o "$out/icon-192.png"
rsvg-convert -w 512 -h 512 "$out/icon.svg" -o "$out/icon-512.png"
rsvg-convert -w 512 -h 512 "$maskable" -o "$out/icon-maskable-512.png"
rsvg-convert -w 180 -h 180 "$maskable" -o "$out/apple-touch-icon.png"
