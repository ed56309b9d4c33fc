"""PyInstaller runtime hook: point python-vlc at the libVLC bundled on Windows and macOS.

Runs before any application code. ktvdesk.spec copies VLC's libraries and plugins into
`<bundle>/_internal/vlc/` on Windows and macOS; python-vlc reads PYTHON_VLC_LIB_PATH and
PYTHON_VLC_MODULE_PATH when it is imported. Linux bundles carry no libVLC (the system
one is used), so there this hook finds nothing and changes nothing. A user's own
PYTHON_VLC_LIB_PATH still wins.
"""

import ctypes
import os
import sys

# Per platform: the libVLC library and the core library it links.
_LIBRARIES = {"win32": ("libvlc.dll", "libvlccore.dll"), "darwin": ("libvlc.dylib", "libvlccore.dylib")}


def _point_python_vlc_at_bundle() -> None:
    names = _LIBRARIES.get(sys.platform)
    if names is None:
        return
    lib, core = names
    base = os.path.join(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)), "vlc")
    lib_path = os.path.join(base, lib)
    if "PYTHON_VLC_LIB_PATH" in os.environ or not os.path.isfile(lib_path):
        return
    if sys.platform == "win32":
        os.add_dll_directory(base)  # libvlc.dll finds libvlccore.dll beside it
    else:
        # libvlc.dylib links libvlccore by @rpath; loading it first resolves that.
        ctypes.CDLL(os.path.join(base, core), mode=ctypes.RTLD_GLOBAL)
    os.environ["PYTHON_VLC_LIB_PATH"] = lib_path
    plugins = os.path.join(base, "plugins")
    if os.path.isdir(plugins):
        os.environ["PYTHON_VLC_MODULE_PATH"] = plugins
        os.environ.setdefault("VLC_PLUGIN_PATH", plugins)


_point_python_vlc_at_bundle()
