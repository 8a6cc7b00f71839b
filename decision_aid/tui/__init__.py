"""The consultation in the terminal: a Textual shell over the core."""
