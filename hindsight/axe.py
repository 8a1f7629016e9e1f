"""Run axe-core in a Playwright page and fail the test on any WCAG 2.1 A/AA violation.

axe-core comes from the `axe_playwright_python` package (a dev dependency), which bundles
`axe.min.js`; nothing is fetched from the network.
"""

from functools import cache
from pathlib import Path

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21aa")


@cache
def axe_script_path() -> Path:
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    if not path.exists():
        raise RuntimeError(f"axe-core not found at {path}")
    return path


_running = False


def axe_is_running() -> bool:
    """axe adds a <style> element of its own while it checks a page; the page's
    Content-Security-Policy refuses it, and that refusal is not the site's (see conftest)."""
    return _running


def _has_axe(page) -> bool:
    return page.evaluate("() => typeof window.axe !== 'undefined'")


def axe_run(page, *, tags: tuple[str, ...] = WCAG_TAGS) -> dict:
    """Inject axe (once per document) and return its full results for the current page.

    axe needs JavaScript (and its timers) in the page: to check what a browser without
    JavaScript shows, use a context with JavaScript on whose requests for the site's scripts
    are aborted, rather than `java_script_enabled=False` (where axe.run never settles).
    """
    if not _has_axe(page):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern: a <script> tag added to the page would be (rightly) refused.
        page.evaluate(axe_script_path().read_text())
    if not _has_axe(page):
        raise RuntimeError(
            "axe did not load: is JavaScript disabled in this browser context? Check the page "
            "in a context with JavaScript on and the site's scripts blocked instead."
        )
    global _running
    _running = True
    try:
        return page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            list(tags),
        )
    finally:
        _running = False


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"  <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


def assert_no_axe_violations(page, label: str = "", *, tags: tuple[str, ...] = WCAG_TAGS):
    """Fail with each violation's id, help text and target nodes if axe finds anything."""
    results = axe_run(page, tags=tags)
    violations = results["violations"]
    if violations:
        where = label or page.url
        report = format_violations(violations)
        print(f"axe violations on {where}:\n{report}")
        raise AssertionError(
            f"{len(violations)} axe violation(s) on {where} ({page.url}):\n{report}"
        )
    return results
