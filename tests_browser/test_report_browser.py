"""The HTML report in a real browser: headless Chromium at a desktop and a phone width.

Run by the nox session ``browser`` (``bash .ci/run`` includes it), never by
the ordinary test session, which collects ``tests/`` only. It needs
Playwright and a Chromium: Debian's ``chromium`` at ``/usr/bin/chromium``,
or the one named by ``$CHROMIUM``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, sync_playwright

from outsourcing_rules import Owner, Task
from outsourcing_rules.planning.inventory import read_inventory
from outsourcing_rules.planning.plans import Plan, plan
from outsourcing_rules.render.html import html_report

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


def _plans() -> list[tuple[str, Plan]]:
    """Return a plan of each example: the demo's worked examples and the docs' inventories."""
    found = []
    demo = yaml.safe_load((ROOT / "src/outsourcing_rules/data/demo.yaml").read_text("utf-8"))
    for example in demo:
        owner = Owner.from_dict(example["owner"])
        tasks = [Task.from_dict(t) for t in example["tasks"]]
        found.append((example["title"], plan(tasks, owner, engine="native")))
    for name in ("video-editor.yaml", "tasks.csv"):
        inventory = read_inventory(ROOT / "docs" / "examples" / name)
        found.append((name, plan(inventory.tasks, inventory.owner, engine="native")))
    return found


PLANS = _plans()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set $CHROMIUM")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(("title", "the_plan"), PLANS, ids=[t for t, _ in PLANS])
def test_the_report_fits_draws_its_chart_and_shows_every_task(
    browser: Browser, tmp_path: Path, title: str, the_plan: Plan, width: int
) -> None:
    """No sideways scrolling, a chart with bars of some width, one card per task, each named."""
    path = tmp_path / "report.html"
    path.write_text(html_report(the_plan, title=title), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(path.as_uri())
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
        chart = page.locator("svg.chart")
        assert chart.count() == 1
        box = chart.bounding_box()
        assert box is not None
        assert 0 < box["width"] <= width
        bars = page.locator("svg.chart rect[width]")
        if the_plan.hours_freed_per_week or any(
            d.economics.hours_per_week for d in the_plan.decisions
        ):
            assert bars.count() > 3  # the legend's three swatches and at least one bar
        cards = page.locator("article[id^=task-]")
        assert cards.count() == len(the_plan.decisions)
        for index, decision in enumerate(the_plan.decisions, start=1):
            card = page.locator(f"#task-{index}")
            assert card.is_visible()
            assert decision.task.name in card.inner_text()
            card_box = card.bounding_box()
            assert card_box is not None
            assert card_box["x"] + card_box["width"] <= width
    finally:
        page.close()
