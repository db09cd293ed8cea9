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

# ensure_chromium: the Chromium the browser tests drive through Playwright's executable_path
# (Playwright never downloads one). FINOPS_KB_CHROMIUM names a browser of your own and skips apt.
# Debian has a real `chromium` package; Ubuntu's (like chromium-browser) only installs a snap,
# which needs snapd and does not run in containers, so there Debian's build is taken from
# Debian's archive, pinned to chromium and the few libraries Ubuntu lacks.
ensure_chromium() {
  if [ -n "${FINOPS_KB_CHROMIUM:-}" ]; then
    [ -x "$FINOPS_KB_CHROMIUM" ] && return 0
    echo "finops-kb: FINOPS_KB_CHROMIUM=$FINOPS_KB_CHROMIUM is not an executable file" >&2
    return 1
  fi
  if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    if dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep "ok installed" >/dev/null; then
      return 0
    fi
    if [ ! -e "$DEBIAN_CHROMIUM_LIST" ] && ! apt_has_candidate chromium; then
      as_root apt-get update -qq
    fi
    if [ -e "$DEBIAN_CHROMIUM_LIST" ] || ! apt_has_candidate chromium; then
      debian_chromium || return 1
    else
      apt_need chromium
    fi
  fi
  command -v chromium >/dev/null 2>&1 || echo "finops-kb: no chromium found, the browser" \
    "tests will fail: install it, or set FINOPS_KB_CHROMIUM=/path/to/chromium" >&2
}

DEBIAN_CHROMIUM_LIST=/etc/apt/sources.list.d/finops-kb-debian-chromium.sources
DEBIAN_CHROMIUM_PIN=/etc/apt/preferences.d/finops-kb-debian-chromium

# apt_has_candidate PACKAGE: apt can install a real package of that name (not only a provider).
# (grep reads to the end: with -q, apt-cache could die of SIGPIPE and pipefail say "no".)
apt_has_candidate() {
  LC_ALL=C apt-cache policy "$1" 2>/dev/null | grep '^  Candidate: [^(]' >/dev/null
}

# debian_chromium: Debian 12's chromium (security updates from bookworm-security) on Ubuntu.
debian_chromium() {
  local id_like
  id_like=$(. /etc/os-release && echo "${ID:-} ${ID_LIKE:-}")
  if [[ " $id_like " != *" ubuntu "* ]]; then
    echo "finops-kb: apt offers no real chromium package here; install Chromium yourself and" \
      "set FINOPS_KB_CHROMIUM=/path/to/chromium" >&2
    return 1
  fi
  echo "finops-kb: Ubuntu's chromium is a snap; installing Debian 12's chromium package instead" \
    "($DEBIAN_CHROMIUM_LIST, pinned in $DEBIAN_CHROMIUM_PIN)" >&2
  apt_need debian-archive-keyring
  local suite
  as_root tee "$DEBIAN_CHROMIUM_LIST" >/dev/null <<'SOURCES'
# Added by finops-kb's scripts/test: Debian's chromium, because Ubuntu's is a snap.
# The pin in /etc/apt/preferences.d/finops-kb-debian-chromium limits it to chromium's packages.
SOURCES
  for suite in "http://deb.debian.org/debian bookworm" \
    "http://deb.debian.org/debian-security bookworm-security"; do
    printf '\nTypes: deb\nURIs: %s\nSuites: %s\nComponents: main\n%s\n' ${suite} \
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" |
      as_root tee -a "$DEBIAN_CHROMIUM_LIST" >/dev/null
  done
  # First let apt choose freely (priority 1: only what Ubuntu does not have at all), to learn
  # which packages would come from Debian.
  debian_pin "*" 1
  as_root apt-get update -qq
  local from_debian twins=() pkg
  from_debian=$(debian_packages_for chromium)
  # Ubuntu 24.04 renamed libraries for 64-bit time (libasound2 -> libasound2t64) and the new
  # ones provide the old names: take Ubuntu's instead of mixing in Debian's copies.
  for pkg in $from_debian; do
    if apt_has_candidate "${pkg}t64"; then twins+=("${pkg}t64"); fi
  done
  [ ${#twins[@]} -eq 0 ] || apt_need "${twins[@]}"
  from_debian=$(debian_packages_for chromium)
  debian_pin "$(echo "$from_debian" | tr '\n' ' ')" 500
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

# debian_packages_for PACKAGE: the packages apt would take from Debian's archive to install it.
debian_packages_for() {
  LC_ALL=C apt-get install -s --no-install-recommends "$1" |
    awk '/^Inst / && /[(].*Debian/ { print $2 }'
}

# debian_pin PACKAGES PRIORITY: Debian's archive serves only PACKAGES (at PRIORITY), nothing else.
debian_pin() {
  {
    printf 'Package: %s\nPin: origin deb.debian.org\nPin-Priority: %s\n' "$1" "$2"
    [ "$1" = "*" ] || printf '\nPackage: *\nPin: origin deb.debian.org\nPin-Priority: -1\n'
  } | as_root tee "$DEBIAN_CHROMIUM_PIN" >/dev/null
}

# What WeasyPrint loads at run time for the PDF packs, and the fonts the pack template names.
PDF_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

pip_install() {
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt "$@"
}
