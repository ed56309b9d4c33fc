"""`ScreenPlaced`: a window that knows how to go full screen on a given screen (the stage
window, the kiosk window); anything else is simply shown full screen where it is."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QWidget


@runtime_checkable
class ScreenPlaced(Protocol):
    def show_on_screen(self, number: int | None) -> None: ...


def show_full_screen(window: QWidget, screen: int | None) -> None:
    if isinstance(window, ScreenPlaced):
        window.show_on_screen(screen)
    else:
        window.showFullScreen()


__all__ = ["ScreenPlaced", "show_full_screen"]
