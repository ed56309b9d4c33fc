# ktvdesk — `make run` starts the app, `make test` runs the whole suite.
# Both set everything up first (system libVLC + CJK font, .venv, Python packages) and are idempotent.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ktvdesk-installed
EXTRAS := test,bench
PYTEST_OFFSCREEN := QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring

.PHONY: run test bench soak lint setup system-deps venue-deps dist bundle install-desktop demo clean

run: setup
	$(BIN)/python -m ktvdesk $(ARGS)

# KTVDESK_REQUIRE_VLC=1: a test skipped for want of libVLC fails (tests/support/require_vlc.py).
# tests/bench is not collected (norecursedirs in pyproject.toml); `make bench` names it. The
# short refresh soak (~1.5 min of wall time, mostly a pause and an outage) runs in `make soak`,
# which keeps `make test` under 15 minutes.
test: setup lint
	KTVDESK_REQUIRE_VLC=1 $(PYTEST_OFFSCREEN) $(BIN)/python -m pytest -q --ignore=tests/integration/soak $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python tools/dead_code.py

bench: setup
	$(PYTEST_OFFSCREEN) $(BIN)/python -m pytest tests/bench -s -q --timeout=0 $(PYTEST_ARGS)

# The soaks: link refresh, short (~1.5 min) and over a night's worth of expiries (~16 min), and
# kiosk mode with attract mode (30 min; KTVDESK_SOAK_MINUTES=N shortens it).
soak: setup
	KTVDESK_SOAK=1 KTVDESK_REQUIRE_VLC=1 $(PYTEST_OFFSCREEN) $(BIN)/python -m pytest tests/integration/soak tests/bench/bench_soak.py tests/bench/bench_kiosk_soak.py -s -q --timeout=0 $(PYTEST_ARGS)

setup: system-deps $(STAMP)

# The venue's servers (PostgreSQL, Mosquitto) come with the other system parts: the tests
# need them, so `make setup` installs them too; this target is the venue operator's name.
venue-deps: system-deps

system-deps:
	@PYTHON=$(PYTHON) bash packaging/system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	@touch $(STAMP)

# Packaging (packaging/README.md): sdist + wheel, the PyInstaller one-folder app, desktop entries.
PACKAGING_STAMP := $(VENV)/.ktvdesk-packaging
BUNDLE_DIR := dist/bundle
EXEC ?= $(CURDIR)/$(BIN)/ktvdesk

$(PACKAGING_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS),packaging]'
	@touch $(PACKAGING_STAMP)

dist: setup $(PACKAGING_STAMP)
	rm -f dist/ktvdesk-*.tar.gz dist/ktvdesk-*.whl
	$(BIN)/python -m build --outdir dist .

bundle: setup $(PACKAGING_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath $(BUNDLE_DIR) --workpath build/pyinstaller packaging/ktvdesk.spec
	@du -sh $(BUNDLE_DIR)/ktvdesk

# EXEC=/path/to/ktvdesk for a bundle; KIOSK=service or KIOSK=autostart for a room terminal.
install-desktop: setup
	bash packaging/linux/install-desktop.sh --exec "$(EXEC)" $(if $(KIOSK),--kiosk $(KIOSK))

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache

# Translations: refresh the .ts sources from the UI code, then compile the .qm files (both committed).
# Screenshots: the main window, the lyric view mid-song and the stage, in English and Chinese.
.PHONY: i18n screenshots
i18n: setup
	$(BIN)/pyside6-lupdate ktvdesk/ui/*.py ktvdesk/ui/kiosk/*.py -ts resources/i18n/ktvdesk_zh_CN.ts
	$(BIN)/pyside6-lrelease resources/i18n/ktvdesk_zh_CN.ts -qm resources/i18n/ktvdesk_zh_CN.qm

screenshots: setup
	$(PYTEST_OFFSCREEN) $(BIN)/python tools/screenshots.py docs/screenshots
	$(PYTEST_OFFSCREEN) $(BIN)/python tools/kiosk_screenshots.py docs/screenshots

# The phone remote's page in a real Chromium (tests/ui/remote), screenshots into docs/screenshots.
.PHONY: remote-screenshots
remote-screenshots: setup
	KTVDESK_SCREENSHOTS=docs/screenshots $(PYTEST_OFFSCREEN) $(BIN)/python -m pytest -q tests/ui/remote/test_phone_remote.py
