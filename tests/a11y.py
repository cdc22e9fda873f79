"""The accessibility audit: axe-core (the engine of the browsers' own audit tools, from the
PyPI package axe-playwright-python, which ships its axe.min.js) run over an open page for
the WCAG 2.0/2.1 A and AA rules. tests/test_a11y.py applies it to every theme page, the
site's index and county pages; the documentation site can reuse it as it is."""

from __future__ import annotations

from pathlib import Path

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> Path:
    """Path of the axe-core script the package ships (MPL-2.0, its header kept)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js")


def axe_violations(page, tags=WCAG_AA) -> list[dict]:
    """The WCAG A/AA violations axe-core finds on an open Playwright ``page``: one dict per
    rule (id, impact, help, nodes: the first targets and their failure summary)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
            nodes: v.nodes.slice(0, 6).map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
        }""",
        tags,
    )


def describe(violations) -> str:
    """A failure message: each rule, how many elements, the first few of them."""
    out = []
    for v in violations:
        out.append(f"{v['id']} ({v['impact']}, {v['count']} elements): {v['help']}")
        out += [f"    {n['target']}: {(n['summary'] or '').splitlines()[-1][:160]}" for n in v["nodes"][:3]]
    return "\n".join(out)
