"""The footer of every screen: Textual's Footer, its keys changed in place when they change."""

from __future__ import annotations

from collections.abc import Iterable

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's own key widget (not re-exported)

KeyShown = tuple[str, str, str, str, bool, str]
"""What one key in the footer shows: key, its display, description, action, enabled, tooltip."""


class KeysFooter(Footer):
    """A compact :class:`Footer` that shows and hides its keys instead of rebuilding them.

    Textual's footer removes and mounts all its keys after every change of focus, even
    when the keys shown stay the same (one question to the next), and after the screen
    has been drawn, so a second picture follows. Here each key shown once keeps its
    widget: a change of focus shows or hides the few keys that differ (such as
    "⏎ Choose" on a question but not on a button), in the same picture as the rest
    (``bench/run.py`` figure 4).
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: tuple[KeyShown, ...] | None = None
        self._widgets_of_keys: dict[KeyShown, FooterKey] = {}
        """Every key shown so far, with its widget (hidden while it does not apply)."""

    def compose(self) -> Iterable[Widget]:
        # The keys known now, drawn with the rest of the screen (Textual's footer mounted
        # them after the first picture, which then had to be laid out and drawn again).
        keys = self._keys_of(self.screen)
        self._shown = keys
        for key in keys:
            yield self._key_widget(key)

    def _key_widget(self, key: KeyShown) -> FooterKey:
        name, display, description, action, enabled, tooltip = key
        widget = FooterKey(
            name,
            display,
            description,
            action,
            disabled=not enabled,
            tooltip=tooltip,
            classes="-compact",  # as FooterKey.compact sets it on mount, without a restyle
        )
        self._widgets_of_keys[key] = widget
        return widget

    def _keys_of(self, screen: Screen[object]) -> tuple[KeyShown, ...]:
        """The keys to show, as Textual's footer shows them: the first binding of each action."""
        app = self.app
        keys: dict[str, KeyShown] = {}
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                display = app.get_key_display(binding)
                keys[binding.action] = (
                    binding.key,
                    display,
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                )
        return tuple(keys.values())

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        keys = self._keys_of(screen)
        if keys != self._shown:
            self._shown = keys
            self._show(keys)

    def _show(self, keys: tuple[KeyShown, ...]) -> None:
        """Show ``keys`` in order: known ones shown again, new ones mounted in place."""
        order = {widget: index for index, widget in enumerate(self.children)}
        known = [order[self._widgets_of_keys[key]] for key in keys if key in self._widgets_of_keys]
        if known != sorted(known):  # another order than before (never in this app): anew
            self.remove_children()
            self._widgets_of_keys.clear()
        previous: FooterKey | None = None
        for key in keys:
            widget = self._widgets_of_keys.get(key)
            if widget is None:
                widget = self._key_widget(key)
                if previous is None:
                    self.mount(widget, before=0 if self.children else None)
                else:
                    self.mount(widget, after=previous)
            widget.display = True
            previous = widget
        wanted = set(keys)
        for key, widget in self._widgets_of_keys.items():
            if key not in wanted:
                widget.display = False
