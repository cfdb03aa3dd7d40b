"""Ruleset and scenario texts that several test files share, each written once here.

Each is YAML as a user would write it in a file: tests write it with
``conftest.write_text`` or load it with ``load_ruleset``.
"""

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
