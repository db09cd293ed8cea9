# Sourced by scripts/build and scripts/test. Makes .venv (with pip) and installs Debian packages
# that are missing. Debian 12 and Ubuntu 24.04 refuse `pip install` into the system Python
# (PEP 668, "externally-managed-environment"), and their `python3 -m venv` fails without the
# python3.X-venv package, so both scripts install into a virtual environment of their own.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "finops-kb: needs root to run: $* (run this script as root, or install sudo)" >&2
    return 1
  fi
}

# apt_need PACKAGE... : install the Debian packages that are not installed yet (apt systems only).
apt_need() {
  command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || return 0
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing with apt-get: ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_venv: a working .venv/bin/python with pip, made by the system's python3 (3.11 or newer).
ensure_venv() {
  if .venv/bin/python -m pip --version >/dev/null 2>&1; then return 0; fi
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null 2>&1 || { apt_need python3; }
  if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "finops-kb needs Python 3.11 or newer; $py is $("$py" -V 2>&1)" >&2
    return 1
  fi
  rm -rf .venv
  if ! "$py" -m venv .venv >/dev/null 2>&1; then
    # Debian and Ubuntu split ensurepip into python3.X-venv; the half-made folder has no pip.
    rm -rf .venv
    apt_need "python$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
    "$py" -m venv .venv
  fi
  .venv/bin/python -m pip --version >/dev/null
}

# What WeasyPrint loads at run time for the PDF packs, and the fonts the pack template names.
PDF_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

pip_install() {
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt "$@"
}
