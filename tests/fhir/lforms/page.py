"""NLM's LHC-Forms in headless Chromium, driven as a person would: a test tool, not product code.

The form filler is the npm package ``lforms`` pinned in ``package-lock.json`` beside this
file (``.ci/install-system-deps`` runs ``npm ci`` here). Its files are served to the page
from disk by Playwright's request routing under a made-up ``.invalid`` origin, so the
browser opens no network connection and no port is bound. The browser is Debian's
``/usr/bin/chromium`` (Playwright's own browser download is not available here).

Answers go in through the rendered form only: a click on a question's input, a click on the
list item with the option's text, or typed digits and Tab. What the form shows is read back
from the page (the input values and the chosen items), not from LHC-Forms' data model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route, sync_playwright

HERE = Path(__file__).parent
DIST = HERE / "node_modules" / "lforms" / "dist" / "lforms"
CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://lforms.invalid"

# The load order LHC-Forms' README gives: zone, the web component (ES modules, so they run
# deferred, in order), then the FHIR R4 support, deferred too so it runs after them.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/lforms/webcomponent/styles.css">
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script type="module" src="/lforms/webcomponent/runtime.js"></script>
<script type="module" src="/lforms/webcomponent/polyfills.js"></script>
<script type="module" src="/lforms/webcomponent/main.js"></script>
<script defer src="/lforms/fhir/R4/lformsFHIR.min.js"></script>
</head><body><div id="form"></div></body></html>
"""

# Read what the form shows for every question item on the page: linkId -> list of texts
# (the chosen items of a several-choice list, or the input's value).
READ_FORM = """() => {
  const shown = {};
  for (const item of document.querySelectorAll('lhc-item.lhc-item-question')) {
    const linkId = item.id.slice('item-'.length).split('/')[0];
    const chosen = item.querySelectorAll('.autocomp_selected li');
    if (chosen.length) {
      shown[linkId] = [...chosen].map(li => {
        const button = li.querySelector('button');
        return li.textContent.slice(button ? button.textContent.length : 0).trim();
      });
    } else {
      const input = item.querySelector('input');
      shown[linkId] = input && input.value !== '' ? [input.value] : [];
    }
  }
  return shown;
}"""


# Whether LHC-Forms' own response has this answer for linkId (a code, or a number).
WAIT_FOR_ANSWER = """([linkId, want]) => {
  const response = LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4');
  const find = items => {
    for (const item of items || []) {
      if (item.linkId === linkId) return item;
      const inner = find(item.item);
      if (inner) return inner;
    }
    return null;
  };
  const item = find(response.item);
  return !!item && (item.answer || []).some(a =>
    'valueCoding' in want ? a.valueCoding && a.valueCoding.code === want.valueCoding
      : a.valueDecimal === want.value || a.valueInteger === want.value);
}"""


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?", 1)[0]
    if path in ("/", "/index.html"):
        route.fulfill(body=PAGE, content_type="text/html")
        return
    if path.startswith("/lforms/"):
        file = (DIST / path.removeprefix("/lforms/")).resolve()
        if file.is_relative_to(DIST.resolve()) and file.is_file():
            route.fulfill(path=str(file))
            return
    route.fulfill(status=404, body="")


@dataclass
class Filler:
    """One page of LHC-Forms, reused for every form in a test module."""

    page: Page
    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught page errors, in order."""

    def load(self, questionnaire: dict[str, Any], response: dict[str, Any] | None = None) -> None:
        """Render the Questionnaire (empty, or with a QuestionnaireResponse merged in)."""
        self.errors.clear()
        outcome = self.page.evaluate(
            """([q, qr]) => {
              let form = LForms.Util.convertFHIRQuestionnaireToLForms(q, 'R4');
              if (qr) form = LForms.Util.mergeFHIRDataIntoLForms(qr, form, 'R4');
              return LForms.Util.addFormToPage(form, 'form', {fhirVersion: 'R4'})
                .then(() => 'ok', e => 'error: ' + JSON.stringify(e));
            }""",
            [questionnaire, response],
        )
        assert outcome == "ok", outcome
        self.page.wait_for_selector("lhc-item.lhc-item-question")

    def _input(self, link_id: str) -> Any:
        # The item's element id is "item-" + linkId + "/" + its place; no linkId has a "/".
        return self.page.locator(f'lhc-item[id^="item-{link_id}/"] input').first

    def choose(self, link_id: str, index: int, coding: dict[str, str]) -> None:
        """Open the question's list and click the option at ``index`` (checked by its text),
        then wait until the form has taken it, as a person waits to see their choice."""
        self._input(link_id).click()
        option = self.page.locator(f'#lhc-tools-searchResults li[autocomprawlistindex="{index}"]')
        text = option.inner_text().replace("\xa0", " ")
        assert text.endswith(f" {coding['display']}"), f"{link_id}: option {index} reads {text!r}"
        option.click()
        self._taken(link_id, {"valueCoding": coding["code"]})

    def _taken(self, link_id: str, answer: dict[str, Any]) -> None:
        # LHC-Forms takes a choice into its model a moment after the click (measured: up to
        # about 0.3 s); starting the next question before that can lose it. Wait for it.
        self.page.wait_for_function(
            WAIT_FOR_ANSWER, arg=[link_id, answer], polling=50, timeout=10_000
        )

    def close_list(self, link_id: str) -> None:
        """Close a several-choice list (it stays open for more) with Escape, as a person would."""
        self._input(link_id).press("Escape")
        self.page.locator("#lhc-tools-searchResults").wait_for(state="hidden")

    def type(self, link_id: str, text: str) -> None:
        """Type into the question's field, then leave it with Tab."""
        field_ = self._input(link_id)
        field_.click()
        field_.press_sequentially(text)
        field_.press("Tab")
        self._taken(link_id, {"value": float(text)})

    def shown(self) -> dict[str, list[str]]:
        """Every question item on the page, by linkId, with what it shows as answered."""
        result: dict[str, list[str]] = self.page.evaluate(READ_FORM)
        return result

    def response(self) -> dict[str, Any]:
        """LHC-Forms' own QuestionnaireResponse for what is on the page."""
        text: str = self.page.evaluate(
            "JSON.stringify(LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4'))"
        )
        resource: dict[str, Any] = json.loads(text)
        return resource


@contextmanager
def open_filler() -> Iterator[Filler]:
    """Debian's Chromium, headless, with LHC-Forms loaded and ready."""
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            filler = Filler(page)
            page.on(
                "console",
                lambda m: filler.errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: filler.errors.append(str(e)))
            page.route("**/*", _serve)
            page.goto(f"{ORIGIN}/index.html")
            page.wait_for_function("window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4")
            yield filler
        finally:
            browser.close()
