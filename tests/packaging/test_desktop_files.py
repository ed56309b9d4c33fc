"""Linux desktop integration: the files validate with the freedesktop/AppStream tools, agree
on one application id and version, and `install-desktop.sh` installs working copies.

The validators come from apt (desktop-file-utils, appstream), which `make test` installs
through packaging/system-deps.sh; systemd-analyze is used where systemd is present.
"""

from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import ktvdesk
from tests.packaging.conftest import APP_ID, HICOLOR_SIZES, LINUX, PACKAGING, png_size

DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
KIOSK_DESKTOP = LINUX / "ktvdesk-kiosk.desktop"
KIOSK_SERVICE = LINUX / "ktvdesk-kiosk.service"
INSTALLER = LINUX / "install-desktop.sh"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run `make system-deps` (packaging/system-deps.sh installs it)"
    return path


def validate_desktop(path: Path) -> None:
    proc = subprocess.run(
        [tool("desktop-file-validate"), str(path)], check=False, capture_output=True, text=True
    )
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def read_ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


@pytest.mark.parametrize("path", [DESKTOP, KIOSK_DESKTOP], ids=lambda p: p.name)
def test_desktop_entries_validate(path: Path) -> None:
    validate_desktop(path)


def test_metainfo_validates() -> None:
    proc = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        check=False,
        capture_output=True,
        text=True,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    assert not [line for line in report.splitlines() if line.startswith(("E:", "W:"))], report


def test_ids_icons_and_version_agree() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("icon") == APP_ID
    releases = [r.get("version") for r in root.iter("release")]
    assert releases[0] == ktvdesk.__version__, "add a <release> for the new version to the metainfo"
    entry = read_ini(DESKTOP)["Desktop Entry"]
    assert entry["Icon"] == APP_ID
    assert read_ini(KIOSK_DESKTOP)["Desktop Entry"]["Icon"] == APP_ID
    for size in HICOLOR_SIZES:
        png = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size), png


def _unit_restarts(service: configparser.SectionProxy, *, status: int = 0, signal: str = "") -> bool:
    """systemd.service(5) for `Restart=on-failure`: a non-zero status that is not a
    SuccessExitStatus, or an unclean signal, restarts, unless RestartPreventExitStatus
    names it."""
    assert service["Restart"] == "on-failure"
    prevent = service.get("RestartPreventExitStatus", "").split()
    success = {"0", *service.get("SuccessExitStatus", "").split()}
    if (signal or str(status)) in prevent:
        return False
    if signal:
        return signal not in {"SIGHUP", "SIGINT", "SIGTERM", "SIGPIPE"}
    return str(status) not in success


def test_kiosk_service_restarts_failures_not_the_admin_exit() -> None:
    from ktvdesk.kiosk.exit_codes import KioskExit

    unit = read_ini(KIOSK_SERVICE)
    service = unit["Service"]
    assert not _unit_restarts(service, status=KioskExit.ADMIN)  # 退出包厢模式
    assert not _unit_restarts(service, signal="SIGTERM")  # systemctl stop
    assert not _unit_restarts(service, status=KioskExit.USAGE)  # would loop forever
    for failure in (KioskExit.CRASH, KioskExit.WATCHDOG, KioskExit.WINDOW_LOST, KioskExit.DISPLAY_LOST):
        assert _unit_restarts(service, status=failure), failure
    assert _unit_restarts(service, signal="SIGKILL") and _unit_restarts(service, signal="SIGSEGV")
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"  # never gives up on a crash loop
    assert unit["Service"]["ExecStart"].split()[-1] == "--kiosk"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    kiosk = read_ini(KIOSK_DESKTOP)["Desktop Entry"]
    assert kiosk["Exec"].split()[-1] == "--kiosk"
    assert kiosk["X-GNOME-Autostart-enabled"] == "true"


@pytest.fixture
def fake_launcher(tmp_path: Path) -> Path:
    """A stand-in for the installed `ktvdesk` in a folder with a space in its name."""
    launcher = tmp_path / "my apps" / "ktvdesk"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\necho ktvdesk\n")
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    return launcher


def install(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run(
        ["bash", str(INSTALLER), *args], check=False, env=env, capture_output=True, text=True
    )


def test_install_desktop_for_the_current_user(tmp_path: Path, fake_launcher: Path) -> None:
    proc = install(tmp_path, "--exec", str(fake_launcher))
    assert proc.returncode == 0, proc.stderr
    data = tmp_path / "data"
    desktop = data / "applications" / DESKTOP.name
    validate_desktop(desktop)
    entry = read_ini(desktop)["Desktop Entry"]
    assert entry["Exec"] == f'"{fake_launcher}"'  # quoted: the path has a space
    assert entry["TryExec"] == str(fake_launcher)
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").read_bytes() == (
        PACKAGING / "icons" / "ktvdesk.svg"
    ).read_bytes()
    for size in HICOLOR_SIZES:
        png = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size)
    assert not (tmp_path / "config").exists(), "no kiosk files without --kiosk"

    removed = install(tmp_path, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert not desktop.exists()
    assert not list((data / "icons").rglob(f"{APP_ID}.*"))


def test_install_kiosk_service_and_autostart(tmp_path: Path, fake_launcher: Path) -> None:
    assert install(tmp_path, "--exec", str(fake_launcher), "--kiosk", "service").returncode == 0
    assert install(tmp_path, "--exec", str(fake_launcher), "--kiosk", "autostart").returncode == 0
    unit = tmp_path / "config" / "systemd" / "user" / KIOSK_SERVICE.name
    assert read_ini(unit)["Service"]["ExecStart"] == f'"{fake_launcher}" --kiosk'
    autostart = tmp_path / "config" / "autostart" / KIOSK_DESKTOP.name
    validate_desktop(autostart)
    assert read_ini(autostart)["Desktop Entry"]["Exec"] == f'"{fake_launcher}" --kiosk'

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed: the unit was checked as an INI file only")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    proc = subprocess.run(
        [analyze, "verify", "--user", str(unit)],
        check=False,
        capture_output=True,
        text=True,
        env=dict(os.environ, XDG_RUNTIME_DIR=str(runtime)),
    )
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kiosk", "forever"], "takes 'service' or 'autostart'"),
        (["--exec", "/nonexistent/ktvdesk"], "is not an executable"),
        (["--frobnicate"], "unknown argument"),
    ],
)
def test_install_desktop_refuses_bad_arguments(tmp_path: Path, args: list[str], message: str) -> None:
    proc = install(tmp_path, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "data").exists()


def test_install_desktop_refuses_a_path_it_cannot_quote(tmp_path: Path) -> None:
    launcher = tmp_path / "100%" / "ktvdesk"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\n")
    launcher.chmod(0o755)
    proc = install(tmp_path, "--exec", str(launcher))
    assert proc.returncode == 2 and "move ktvdesk to a path without" in proc.stderr
    assert not (tmp_path / "data").exists()
