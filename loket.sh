#!/usr/bin/env bash
# Loket: one entry point that installs what is missing, then runs.
#   ./loket.sh run      the counter application on embedded defaults
#   ./loket.sh test     every check CI runs (lint, types, import contracts, tests)
#   ./loket.sh bench    the benchmark scripts
#   ./loket.sh shell    a shell inside the virtual environment
# Works on a fresh Debian (bookworm or newer) as root; as another user it uses
# sudo for apt when needed. Set LOKET_SKIP_APT=1 to skip the system check.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
venv="$here/.venv"

apt_packages=(
  python3 python3-venv python3-dev gcc
  pcscd libpcsclite1 libpcsclite-dev vsmartcard-vpcd
  libegl1 libgl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
)
test_apt_packages=(postgresql xmlsec1)  # xmlsec1: independent check of the WS-Security signatures

log() { printf 'loket: %s\n' "$*" >&2; }

ensure_apt() {
  [ "${LOKET_SKIP_APT:-0}" = 1 ] && return 0
  command -v dpkg-query >/dev/null || { log "not a Debian system: install ${*} yourself"; return 0; }
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing system packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pick_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$py"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  local extras="$1" stamp want
  if [ ! -x "$venv/bin/python" ]; then
    local py; py="$(pick_python)" || { log "no Python >= 3.11 with venv found"; exit 2; }
    log "creating virtual environment with $py"
    "$py" -m venv "$venv"
  fi
  stamp="$venv/.loket-installed-$extras"
  want="$(cat pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing Python packages ($extras)"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    if [ "$extras" = "run" ]; then
      "$venv/bin/python" -m pip install -q --disable-pip-version-check -e .
    else
      "$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".[$extras]"
    fi
    echo "$want" >"$stamp"
  fi
}

# Bytecode for our own packages. pip compiles what it installs, but not an editable
# install's sources, and with PYTHONDONTWRITEBYTECODE set (as on some managed
# machines) every start would compile them again: ~0.15 s of the window's cold
# start. compileall writes regardless and only redoes files that changed.
compile_sources() {
  "$venv/bin/python" -m compileall -q -j 0 cardreader rules counter_app >/dev/null || true
}

cmd="${1:-run}"; shift || true
case "$cmd" in
  run)
    ensure_apt "${apt_packages[@]}"
    ensure_venv run
    compile_sources
    exec "$venv/bin/counter-app" "$@"
    ;;
  test)
    ensure_apt "${apt_packages[@]}" "${test_apt_packages[@]}"
    ensure_venv dev
    compile_sources
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    export QT_LOGGING_RULES="${QT_LOGGING_RULES:-qt.qpa.*=false}"  # offscreen plugin chatter
    export LOKET_REQUIRE_PCSC="${LOKET_REQUIRE_PCSC:-1}"
    export PATH="$venv/bin:$PATH"
    log "ruff";          ruff check cardreader rules counter_app tests benchmarks
    log "mypy";          mypy
    log "import-linter"; lint-imports
    log "pytest";        exec pytest "$@"
    ;;
  bench)
    ensure_apt "${apt_packages[@]}" "${test_apt_packages[@]}"
    ensure_venv dev
    compile_sources
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    export QT_LOGGING_RULES="${QT_LOGGING_RULES:-qt.qpa.*=false}"
    export PATH="$venv/bin:$PATH"
    status=0
    for b in benchmarks/bench_*.py; do
      [ -n "${1:-}" ] && [[ "$b" != *"$1"* ]] && continue
      log "$b"; python "$b" || status=1
    done
    exit $status
    ;;
  shell)
    ensure_apt "${apt_packages[@]}"
    ensure_venv dev
    exec bash --rcfile <(echo "source '$venv/bin/activate'")
    ;;
  *)
    echo "usage: $0 {run|test|bench|shell} [args]" >&2; exit 2 ;;
esac
