"""The footer of every screen: Textual's Footer, redrawn only when its keys change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A compact :class:`Footer` that rebuilds its keys only when they are different.

    Textual's footer removes and mounts all its keys after every change of focus, even
    when the keys shown stay the same (one question to the next): that was about a
    fifth of the work of a key press (``bench/run.py`` figure 4).
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def _keys(self, screen: Screen[object]) -> tuple[tuple[str, str, str, bool, str], ...]:
        app = self.app
        return tuple(
            (binding.key, app.get_key_display(binding), binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self._keys(screen)
            if keys == self._shown and self._bindings_ready:
                return
            self._shown = keys
        super().bindings_changed(screen)
