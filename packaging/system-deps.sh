#!/usr/bin/env bash
# The system parts ktvdesk needs: Python >= 3.11 with venv, libVLC 3 with its plugins,
# and a CJK font. Installed through apt-get where there is one (sudo when not root);
# elsewhere, one clear line says what to install. Does nothing when all are present.
set -euo pipefail

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "ktvdesk: needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11 to choose another)." >&2
    exit 1
fi

APT_PACKAGES=(
    libvlc5 vlc-plugin-base vlc-plugin-video-output fonts-noto-cjk
    # Qt 6's xcb platform plugin (the PySide6 wheel does not carry these X libraries)
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
    # validators for the .desktop and AppStream files (tests/packaging)
    desktop-file-utils appstream
    # MIDI/KAR through libVLC's FluidSynth module with a small free General MIDI soundfont
    vlc-plugin-fluidsynth timgm6mb-soundfont
    # the microphone: PortAudio for capture, PulseAudio with a null sink for the live tests
    libportaudio2 pulseaudio pulseaudio-utils
    # ... and the same tests on PipeWire (its Pulse server and session manager; not pipewire-alsa,
    # which Debian will not install beside pulseaudio: PortAudio reaches both through ALSA's pulse plugin)
    pipewire pipewire-pulse wireplumber dbus
    # a real window manager for the kiosk tests and soak (Xvfb + openbox, driven by xdotool)
    xvfb openbox xdotool x11-utils
    # a real browser for the phone remote's and the front desk's pages (driven by Playwright)
    chromium
    # the venue: PostgreSQL is the system of record, Mosquitto carries each room's state
    postgresql mosquitto mosquitto-clients
)

if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    # Debian's python3 needs python3-venv for ensurepip; pyenv/other builds carry it.
    "$PYTHON" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
    if ((${#missing[@]})); then
        sudo=""
        if [ "$(id -u)" -ne 0 ]; then
            command -v sudo >/dev/null 2>&1 || { echo "ktvdesk: please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
            sudo=sudo
        fi
        echo "ktvdesk: installing ${missing[*]} with apt-get"
        $sudo apt-get update -q
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    exit 0
fi

case "$(uname -s)" in
    Darwin)
        [ -d /Applications/VLC.app ] && exit 0
        echo "ktvdesk: install VLC 3 from videolan.org (or 'brew install --cask vlc') and run make again." >&2 ;;
    MINGW*|MSYS*|CYGWIN*)
        echo "ktvdesk: install VLC 3 (64-bit) from videolan.org and a CJK font, then run make again." >&2 ;;
    *)
        if ldconfig -p 2>/dev/null | grep -q 'libvlc\.so\.5'; then exit 0; fi
        echo "ktvdesk: install libVLC 3 with its plugins and a CJK font (e.g. Noto Sans CJK) with your package manager, then run make again." >&2 ;;
esac
exit 1
