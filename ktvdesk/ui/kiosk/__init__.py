"""The kiosk shell: a locked-down, touch-first control window for KTV room terminals."""
