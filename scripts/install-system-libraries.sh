#!/usr/bin/env bash
# Installs the few system libraries Stageline's wheels load at run time and
# pip cannot provide: Skia (PNG rendering) links against libEGL and libGL; the
# slide-deck test opens decks in LibreOffice Impress (soffice); `make lint`
# type-checks the browser code with TypeScript, which needs Node.js and npm;
# `make bench` draws the same graph with Graphviz's `dot` as the render baseline.
set -euo pipefail
missing=()
ldconfig -p | grep -q 'libEGL\.so\.1 ' || missing+=(libegl1)
ldconfig -p | grep -q 'libGL\.so\.1 ' || missing+=(libgl1)
command -v soffice >/dev/null || missing+=(libreoffice-impress)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v dot >/dev/null || missing+=(graphviz)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "Stageline needs ${missing[*]}: install with 'apt-get install -y ${missing[*]}' as root." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "Stageline needs the EGL and GL libraries, LibreOffice Impress, Node.js with npm and Graphviz (${missing[*]} on Debian); install them with your package manager." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "Installing ${missing[*]} from Debian's packages…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
