#!/usr/bin/env bash
# Make sure the Debian Chromium that the browser tests drive is installed.
#
# - /usr/bin/chromium present            -> exit 0, quietly.
# - missing, running as root with apt    -> apt-get install chromium, exit 0 on success.
# - missing and cannot be installed      -> loud warning on stderr, exit 0 (the browser tests
#                                           will be SKIPPED; `make test` must still pass).
# - ... but CI=true                      -> loud error, exit 1 (CI always runs browser tests).
#
# Never runs `playwright install`: the tests use the system Chromium, not a downloaded one.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

install_log=""
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: $CHROMIUM is missing; installing the Debian 'chromium' package with apt-get..."
    export DEBIAN_FRONTEND=noninteractive
    install_log=$(mktemp)
    if apt-get update -qq >"$install_log" 2>&1 \
        && apt-get install -y -qq chromium >>"$install_log" 2>&1 \
        && [ -x "$CHROMIUM" ]; then
        echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium) at $CHROMIUM."
        rm -f "$install_log"
        exit 0
    fi
    echo "ensure-chromium: apt-get could not install chromium; last lines of its output:" >&2
    tail -n 15 "$install_log" >&2
    rm -f "$install_log"
    reason="apt-get install chromium failed"
elif [ "$(id -u)" -ne 0 ]; then
    reason="not running as root, so Chromium cannot be installed automatically"
else
    reason="apt-get is not available on this machine"
fi

if [ "${CI:-}" = "true" ]; then
    cat >&2 <<EOF

################################################################################
##  ERROR: Chromium is not installed at $CHROMIUM and could not be installed
##  ($reason).
##  CI=true: the browser tests (tests/browser, marker 'browser') must run in CI.
##  Install it in the CI image:   apt-get update && apt-get install -y chromium
################################################################################

EOF
    exit 1
fi

cat >&2 <<EOF

################################################################################
##                                                                            ##
##   WARNING: BROWSER TESTS WILL BE SKIPPED                                   ##
##                                                                            ##
##   Chromium is not installed at $CHROMIUM
##   ($reason).
##                                                                            ##
##   The tests in tests/browser (marker 'browser') drive the Debian Chromium  ##
##   through Playwright. To run them, install it as root:                     ##
##                                                                            ##
##       sudo apt-get update && sudo apt-get install -y chromium              ##
##                                                                            ##
##   (Do not use 'playwright install'; the tests use /usr/bin/chromium.)      ##
##                                                                            ##
################################################################################

EOF
exit 0
