"""`ktvdesk kiosk`: set and check the admin PIN of a room terminal, show the kiosk status.

    ktvdesk kiosk set-pin                  # asks twice (hidden input)
    printf '%s\n' 4321 | ktvdesk kiosk set-pin --pin-stdin   # provisioning scripts
    ktvdesk kiosk check-pin                # exit 0 right, 1 wrong, 2 no PIN / wait
    ktvdesk kiosk status [--json]

Only the salted scrypt hash is stored (keyring entry `kiosk.pin_hash`). Without a usable
keyring, `set-pin` writes the `KTVDESK_KIOSK_PIN_HASH=…` line into `kiosk.env` in the
config directory (`KTVDESK_CONFIG_DIR` honoured), which ktvdesk and the systemd unit both
read; the PIN itself is never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from ktvdesk import paths
from ktvdesk.env_file import env_file_path, read_env_file, set_env_value
from ktvdesk.errors import ConfigError, KtvError, UserMessage
from ktvdesk.keystore import SECRETS, KeyringUnavailableError, find_secret

UNIT_ENV_FILE = "~/.config/ktvdesk/kiosk.env"  # the shipped unit's EnvironmentFile
_NOT_A_TTY = UserMessage("标准输入不是终端：请用 --pin-stdin。", "stdin is not a terminal: use --pin-stdin")
_DIFFERENT = UserMessage("两次输入的密码不一致，未作修改。", "the two PINs differ: nothing changed")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    set_pin = sub.add_parser("set-pin", help="set the admin PIN (4-12 digits)")
    set_pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin")
    check = sub.add_parser("check-pin", help="check a PIN against the stored one (rate-limited)")
    check.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin")
    status = sub.add_parser("status", help="is a PIN set, wrong-PIN lock state, kiosk settings")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--config", metavar="FILE", help="configuration file")


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "set-pin":
            return _set_pin(args)
        if args.action == "check-pin":
            return _check_pin(args)
        return _status(args)
    except KtvError as exc:
        return _fail(exc.message("en"))
    except EOFError:
        return _fail("no PIN given")
    except OSError as exc:
        return _fail(f"cannot write {exc.filename}: {exc.strerror}")


def _fail(message: str) -> int:
    print(f"ktvdesk kiosk: {message}", file=sys.stderr)
    return 2


def _read_pin(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.pin_stdin:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()
    if not sys.stdin.isatty():
        raise ConfigError("stdin is not a tty", user_message=_NOT_A_TTY)
    pin = getpass.getpass("Admin PIN (4-12 digits): ")
    if confirm and getpass.getpass("Again: ") != pin:
        raise ConfigError("PINs differ", user_message=_DIFFERENT)
    return pin


def _set_pin(args: argparse.Namespace) -> int:
    from ktvdesk.kiosk.pin import SECRET_NAME, hash_pin, store_pin_hash

    stored = hash_pin(_read_pin(args, confirm=True))
    env_name = SECRETS[SECRET_NAME]
    env_file = env_file_path()
    try:
        store_pin_hash(stored)
    except KeyringUnavailableError:
        set_env_value(env_name, stored, env_file)
        print(f"Admin PIN set: no usable keyring here, so its salted scrypt hash is in {env_file}.")
        if env_file.expanduser() != Path(UNIT_ENV_FILE).expanduser():
            print(f"Note: the shipped systemd unit reads {UNIT_ENV_FILE}.", file=sys.stderr)
    else:
        if env_name in read_env_file(env_file):  # it would shadow the keyring's new value
            set_env_value(env_name, None, env_file)
        print("Admin PIN set (stored as a salted scrypt hash in the keyring).")
    if os.environ.get(env_name):
        print(f"Note: {env_name} is set in this environment and wins over this PIN.", file=sys.stderr)
    return 0


def _lock() -> Any:
    from ktvdesk.kiosk.lock import STATE_FILE, PinLock

    return PinLock(state_path=paths.data_dir() / STATE_FILE)


def _check_pin(args: argparse.Namespace) -> int:
    from ktvdesk.kiosk.lock import PinVerdict
    from ktvdesk.kiosk.pin import load_pin_hash

    stored = load_pin_hash()
    if stored is None:
        return _fail("no admin PIN is set: run `ktvdesk kiosk set-pin`")
    lock = _lock()
    wait_s = lock.wait_s()
    if wait_s > 0:
        return _fail(f"too many wrong PINs: try again in {wait_s:.0f} s")
    verdict = lock.attempt(_read_pin(args, confirm=False), stored)
    if verdict is PinVerdict.OK:
        print("PIN correct")
        return 0
    print("PIN wrong", file=sys.stderr)
    return 1


def _status(args: argparse.Namespace) -> int:
    from ktvdesk.config import load_settings
    from ktvdesk.kiosk.pin import SECRET_NAME, is_pin_hash, needs_rehash

    stored, source = find_secret(SECRET_NAME)
    stored = stored.strip() if stored else None
    if source == "kiosk.env":
        source = str(env_file_path())
    valid = stored is not None and is_pin_hash(stored)
    lock = _lock()
    loaded = load_settings(Path(args.config) if args.config else None)
    kiosk = loaded.settings.kiosk
    report: dict[str, Any] = {
        "pin_set": stored is not None,
        "pin_source": source,
        "pin_hash_valid": valid,
        "pin_hash_outdated": bool(valid and stored is not None and needs_rehash(stored)),
        "wrong_pins_in_a_row": lock.failures,
        "wait_s": round(lock.wait_s(), 1),
        "settings": kiosk.model_dump(mode="json"),
        "config_problems": loaded.problems,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"admin PIN: {'set (' + source + ')' if stored else 'NOT SET: run `ktvdesk kiosk set-pin`'}")
        if stored is not None and not valid:
            print("  the stored hash is not readable: set the PIN again")
        print(f"wrong PINs in a row: {lock.failures} (next try in {report['wait_s']} s)")
        for key, value in report["settings"].items():
            print(f"kiosk.{key} = {value}")
        for problem in loaded.problems:
            print(f"config: {problem}")
    return 0 if stored is not None and valid else 1
