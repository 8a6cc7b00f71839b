"""The high-contrast theme: white on black, yellow for the cursor and keys."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="decision-aid-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF8080",
    success="#80FF80",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#000000",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "block-hover-background": "#333333",
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "footer-background": "#000000",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "button-focus-text-style": "bold reverse",
        "text-muted": "#FFFFFF",
        "scrollbar": "#FFFFFF",
        "scrollbar-background": "#000000",
    },
)
"""Selected with Ctrl+T, and from the start when ``NO_COLOR`` is set."""

DEFAULT_THEME = "textual-dark"
