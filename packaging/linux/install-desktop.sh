#!/usr/bin/env bash
# Installs ktvdesk's desktop integration for the current user (no root):
#   $XDG_DATA_HOME/applications/io.github.ktvdesk.desktop   (the menu entry)
#   $XDG_DATA_HOME/icons/hicolor/*/apps/io.github.ktvdesk.*  (PNG sizes + scalable SVG)
#   $XDG_DATA_HOME/metainfo/io.github.ktvdesk.metainfo.xml  (software centres)
# and, for KTV room terminals, one of:
#   --kiosk service    $XDG_CONFIG_HOME/systemd/user/ktvdesk-kiosk.service (Restart=on-failure)
#   --kiosk autostart  $XDG_CONFIG_HOME/autostart/ktvdesk-kiosk.desktop
#
# usage: install-desktop.sh [--exec PATH] [--kiosk service|autostart] [--uninstall]
#   --exec PATH  the ktvdesk launcher the entries start (default: `ktvdesk` on PATH);
#                `make install-desktop` passes the venv's, EXEC=… a bundle's.
set -euo pipefail

APP_ID=io.github.ktvdesk
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
CONFIG_HOME=${XDG_CONFIG_HOME:-$HOME/.config}

exec_path=""
kiosk=""
uninstall=0
while (($#)); do
    case "$1" in
        --exec) exec_path=${2:?--exec needs a path}; shift 2 ;;
        --kiosk) kiosk=${2:?--kiosk needs service or autostart}; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-desktop: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$kiosk" in
    ""|service|autostart) ;;
    *) echo "install-desktop: --kiosk takes 'service' or 'autostart', not '$kiosk'" >&2; exit 2 ;;
esac

SIZES=(16 24 32 48 64 128 256 512)
targets=(
    "$DATA_HOME/applications/$APP_ID.desktop"
    "$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
    "$DATA_HOME/icons/hicolor/scalable/apps/$APP_ID.svg"
    "$CONFIG_HOME/systemd/user/ktvdesk-kiosk.service"
    "$CONFIG_HOME/autostart/ktvdesk-kiosk.desktop"
)
for size in "${SIZES[@]}"; do
    targets+=("$DATA_HOME/icons/hicolor/${size}x${size}/apps/$APP_ID.png")
done

refresh_caches() {
    # Menus and icon themes pick the files up by themselves on most desktops; these
    # speed that up where the tools exist.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA_HOME/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" 2>/dev/null || true
    fi
}

if ((uninstall)); then
    rm -f "${targets[@]}"
    refresh_caches
    echo "ktvdesk: desktop integration removed"
    exit 0
fi

if [ -z "$exec_path" ]; then
    exec_path=$(command -v ktvdesk || true)
    [ -n "$exec_path" ] || { echo "install-desktop: no ktvdesk on PATH; pass --exec /path/to/ktvdesk" >&2; exit 2; }
fi
[ -x "$exec_path" ] || { echo "install-desktop: $exec_path is not an executable" >&2; exit 2; }
exec_path=$(cd "$(dirname "$exec_path")" && pwd)/$(basename "$exec_path")

# Desktop entries and systemd both take a double-quoted program path; the characters
# that would need a second level of escaping there are refused instead.
case "$exec_path" in
    *[\"\`\$\\%]*) echo "install-desktop: move ktvdesk to a path without \" \` \$ \\ or %: $exec_path" >&2; exit 2 ;;
esac
desktop_exec=$exec_path
systemd_exec=$exec_path
case "$exec_path" in
    *[[:space:]\'\<\>\~\|\&\;\*\?\#\(\)=]*) desktop_exec="\"$exec_path\""; systemd_exec="\"$exec_path\"" ;;
esac

# Rewrites the Exec/TryExec (or ExecStart) lines of one file into its destination.
put() {
    local src=$1 dest=$2 exec_line=$3 try_exec=$4
    mkdir -p "$(dirname "$dest")"
    local line
    {
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
                Exec=*) printf '%s\n' "Exec=$exec_line${line#Exec=ktvdesk}" ;;
                TryExec=*) printf '%s\n' "TryExec=$try_exec" ;;
                ExecStart=*) printf '%s\n' "ExecStart=$systemd_exec ${line#ExecStart=* }" ;;
                *) printf '%s\n' "$line" ;;
            esac
        done <"$src"
    } >"$dest.tmp"
    mv "$dest.tmp" "$dest"
}

put "$HERE/$APP_ID.desktop" "$DATA_HOME/applications/$APP_ID.desktop" "$desktop_exec" "$exec_path"
install -D -m 0644 "$HERE/$APP_ID.metainfo.xml" "$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
install -D -m 0644 "$HERE/../icons/ktvdesk.svg" "$DATA_HOME/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in "${SIZES[@]}"; do
    install -D -m 0644 "$HERE/icons/hicolor/${size}x${size}/apps/$APP_ID.png" \
        "$DATA_HOME/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
echo "ktvdesk: menu entry, icons and metainfo installed under $DATA_HOME (starts $exec_path)"

case "$kiosk" in
    service)
        put "$HERE/ktvdesk-kiosk.service" "$CONFIG_HOME/systemd/user/ktvdesk-kiosk.service" "" ""
        echo "ktvdesk: kiosk unit installed; enable it with: systemctl --user daemon-reload && systemctl --user enable --now ktvdesk-kiosk.service"
        ;;
    autostart)
        put "$HERE/ktvdesk-kiosk.desktop" "$CONFIG_HOME/autostart/ktvdesk-kiosk.desktop" "$desktop_exec" "$exec_path"
        echo "ktvdesk: kiosk autostart entry installed: ktvdesk --kiosk starts at the next login"
        ;;
esac
refresh_caches
