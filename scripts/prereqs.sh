#!/usr/bin/env bash
# Installs what RecFramework needs on Debian 12 (idempotent, quiet). Needs root for apt: runs apt through sudo
# when not root. The .NET 10 SDK must already be on PATH (https://dot.net); everything else comes from here
# (chromium: the headless-browser test of the experiment page, tests/AspNetCore.Tests/Page).
set -euo pipefail
packages=(libfaiss-dev libopenblas-dev liblapack-dev cmake g++ make binutils redis-server chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "prereqs: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "prereqs: the .NET 10 SDK is not on PATH; install it first (https://dot.net/)" >&2
  exit 1
fi
