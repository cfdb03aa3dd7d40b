"""Examples that several test files share, each written once here.

The ruleset texts are YAML as a user would write it in a file: tests write
them with ``conftest.write_text`` or load them with ``load_ruleset``. The
objects are the worked example of the sources (Sally, a consultant, and her
invoicing); a test that needs a variant says what differs with
``attrs.evolve``.
"""

import attrs

from outsourcing_rules import Owner, Task

#: The rule ids of the default ruleset that the contract promises agencies can override.
CONTRACT_IDS = frozenset(
    {
        "core-competency",
        "only-owner",
        "eliminate",
        "skill-gap",
        "low-frequency",
        "annoyance",
        "time-scarcity",
        "opportunity-cost",
        "repetitive",
    }
)

#: Sally, the consultant of the worked example: her hour is worth $250.
SALLY = Owner(name="Sally", hourly_rate=250, core_competencies={"consulting"})

#: Sally's invoicing: four hours a week that a $37.50 bookkeeper could do.
INVOICING = Task(
    name="Client invoicing",
    category="invoicing",
    times_per_year=52,
    hours_each=4,
    provider_hourly_rate=37.5,
)

#: A rare chore the owner dislikes but does competently: kept for its low frequency.
FLIGHTS = Task(name="Book flights", times_per_year=3, enjoyment="dislike", skill="competent")

#: The failure reported in issue 13: an agency's top rule outsources all design work,
#: so a design task that is the owner's core competency is outsourced.
DESIGN_AGENCY = """
ruleset: design-agency
extends: default
rules:
  - id: design-goes-out
    priority: 200
    when: {category: design}
    then: outsource
    because: We send all design work to our studio partner.
"""

#: A ruleset that breaks the built-in invariants on purpose: urgent work outsourced
#: above the core rule, and keep rules that turn the monotone ones around.
BROKEN = """
ruleset: broken
extends: default
rules:
  - {id: rush, priority: 200, when: {tags: {in: [urgent]}}, then: outsource, because: Rush.}
  - {id: daily, priority: 66, when: {times_per_year: {ge: 365}}, then: keep, because: Daily.}
  - {id: hate-it, priority: 66, when: {enjoyment: hate}, then: keep, because: Odd.}
  - {id: no-time, priority: 67, when: {time_available: false}, then: keep, because: Odd.}
  - {id: novice, priority: 75, when: {skill: none}, then: keep, because: Odd.}
"""

#: An agency that keeps payroll in house, for scenario files (``agency.yaml``).
PAYROLL_AGENCY = """
ruleset: agency
extends: default
rules:
  - id: confidential-stays
    priority: 95
    when: {category: payroll}
    then: keep
    because: Pay data stays in house.
"""

#: Sally's invoicing with the owner's feelings and skill given (done competently,
#: neither liked nor disliked), so no text has an unknown to mention.
COMPETENT_INVOICING = attrs.evolve(INVOICING, skill="competent", enjoyment="neutral")
