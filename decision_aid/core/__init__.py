"""The headless core: the bank, answers, rules and summary. Never imports Textual or Jinja2."""
