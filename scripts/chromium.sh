# Sourced by the scripts that render pages: chromium_path NAME prints the path of a Chromium,
# installing Debian's chromium package with apt-get first if none is found (messages on stderr,
# prefixed with NAME).
chromium_path() {
    local found
    found=$(command -v chromium || command -v chromium-browser || true)
    if [ -z "$found" ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        echo "$1: installing Debian's chromium package" >&2
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
        found=$(command -v chromium)
    fi
    echo "$found"
}
