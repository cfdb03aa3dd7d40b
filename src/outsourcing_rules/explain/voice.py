"""The owner's voice: a decision told in plain sentences.

:func:`explain` says the verdict, the reason in everyday words with the facts
that made it true said as words ("you do it only 3 times a year"), what
argued the other way and why it lost, and the money and hours in the owner's
currency. It never shows rule ids, priorities, fact names, ``$parameters``
or operators: those belong to the rule author's view,
:func:`outsourcing_rules.explain.why.trace`.

A ruleset may give the owner-facing words for each fact a rule tests (a
rule's ``say:``; ``{fact}`` in a phrase is that fact's value in words,
``{provider}`` the provider's role). A fact a rule tests without a phrase is
said by :func:`generated_phrase`, which words every fact of the vocabulary
from its value; an empty phrase leaves a check unsaid (a guard such as "the
hourly rates are not known" adds nothing for the owner).
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from ..core.facts import Enjoyment, Skill, Verdict
from ..core.text import hours, join_and, money, number, printable, times

if TYPE_CHECKING:
    from ..core.conditions import Check
    from ..core.rules import Rule
    from ..decisions import Decision, Match

#: The role named when neither the task's category nor the rule names one.
_SOMEONE = "provider"

_BOOLS: dict[str, tuple[str, str]] = {
    "core_competency": ("it is the heart of your business", "it is not the heart of your business"),
    "only_owner": ("only you can do it", "someone else could do it"),
    "one_off": ("it is a one-off project", "it recurs"),
    "recurring": ("it recurs", "it is a one-off project"),
    "time_available": ("you have time for it", "you have no time for it"),
    "repetitive": ("it is the same routine every time", "it is not a repetitive routine"),
    "can_be_eliminated": (
        "it could be dropped without anyone missing it",
        "it cannot be dropped",
    ),
    "revenue_generating": ("it brings in the business's money", "it does not bring in money"),
    "procedure_documented": ("its procedure is written down", "its procedure is not written down"),
    "outcome_defined": (
        "the result you want is defined",
        "the result you want is not defined yet",
    ),
    "hours_known": ("you know how long it takes", "you have not said how long it takes"),
    "enjoyment_known": (
        "you have said how you feel about it",
        "you have not said how you feel about it",
    ),
    "rates_known": ("both hourly rates are known", "the hourly rates are not both known"),
}

_SKILL = {
    Skill.NONE: "you have no skill at it",
    Skill.BASIC: "your skill at it is basic",
    Skill.COMPETENT: "you are competent at it",
    Skill.EXPERT: "you are an expert at it",
}
_ENJOYMENT = {
    Enjoyment.HATE: "you hate it",
    Enjoyment.DISLIKE: "you dislike it",
    Enjoyment.NEUTRAL: "you neither like nor dislike it",
    Enjoyment.LIKE: "you like it",
    Enjoyment.LOVE: "you love it",
}
_MONEY_FACTS = frozenset(
    {
        "provider_hourly_rate",
        "owner_hourly_rate",
        "owner_cost_per_year",
        "provider_cost_per_year",
        "saving_per_year",
        "saving_per_week",
    }
)
_HOUR_FACTS = frozenset({"hours_each", "hours_per_year", "hours_per_week"})

_VERB = {Verdict.KEEP: "keep it", Verdict.OUTSOURCE: "hand it off", Verdict.ELIMINATE: "drop it"}


def _currency(decision: Decision) -> tuple[str | None, str | None]:
    owner = decision.owner
    if owner is None:
        return None, None
    return getattr(owner, "currency", None), getattr(owner, "locale", None)


def _money(decision: Decision, amount: float | None) -> str:
    currency, locale = _currency(decision)
    return money(amount, currency, locale)


def provider_role(decision: Decision, rule: Rule | None = None) -> str:
    """Name who would take the task: the ruleset's role for its category, else the rule's."""
    category = decision.task.category
    roles = decision.ruleset.roles
    if category is not None and category in roles:
        return roles[category]
    rule = rule if rule is not None else decision.rule
    if rule is not None and rule.role:
        return rule.role
    return _SOMEONE


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def fact_words(fact: str, value: Any, decision: Decision) -> str:
    """Say a fact's value in words, as a phrase's ``{fact}`` shows it: ``3 times``, ``$720``."""
    if value is None:
        return "not known"
    if fact == "times_per_year":
        return times(value)
    if fact in _HOUR_FACTS:
        return hours(value)
    if fact in _MONEY_FACTS:
        return _money(decision, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is Skill.NONE:
        return "no"  # "you have {skill} skill at it"
    if isinstance(value, Skill | Enjoyment):
        return str(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, frozenset | set | tuple | list):
        return join_and(sorted(str(v) for v in value))
    return printable(str(value))


def generated_phrase(check: Check, decision: Decision) -> str:
    """Say a check that held in plain words, from the fact and the value seen.

    Used for a fact a rule tests without giving a phrase for it (an agency
    rule, say): "you dislike it", "you do it only 3 times a year".
    """
    fact, actual, op = check.fact, check.actual, check.op
    only = "only " if op in ("lt", "le") else ""
    words = fact_words(fact, actual, decision)
    if fact in _BOOLS:
        yes, no = _BOOLS[fact]
        return yes if actual else no
    if fact == "skill":
        return _SKILL[actual]
    if fact == "enjoyment":
        return _ENJOYMENT[actual]
    if fact == "times_per_year":
        return f"you do it {only}{words} a year"
    if fact == "hours_each":
        each = "" if decision.task.one_off else " each time"
        return f"it takes {only}{words}{each}"
    if fact == "hours_per_year":
        return f"it takes {only}{words} a year in all"
    if fact == "hours_per_week":
        return f"it takes {only}{words} a week"
    if fact == "rate_ratio":
        return f"your hour is worth {only}{words} times the {provider_role(decision)}'s"
    if fact == "owner_hourly_rate":
        return f"your hour is worth {only}{words}"
    if fact == "provider_hourly_rate":
        return f"{_article(provider_role(decision))} charges {only}{words} an hour"
    if fact == "owner_cost_per_year":
        return f"your own hours on it are worth {only}{words} a year"
    if fact == "provider_cost_per_year":
        return f"{_article(provider_role(decision))} would charge {only}{words} a year"
    if fact in ("saving_per_year", "saving_per_week"):
        span = "year" if fact == "saving_per_year" else "week"
        if actual < 0:
            return f"handing it off would cost {_money(decision, -actual)} a {span} more"
        return f"handing it off would save {words} a {span}"
    if fact == "category":
        return f"it is {words} work"
    if fact == "tags":
        if op == "in":
            wanted = check.expected if isinstance(check.expected, frozenset) else frozenset()
            return f"it is marked {join_and(sorted(actual & wanted))}"
        return f"it is marked none of {join_and(sorted(check.expected))}"
    return f"its {fact.replace('_', ' ')} is {words}"  # pragma: no cover - every fact is above


def _say(template: str, decision: Decision, rule: Rule) -> str:
    values = decision.facts
    out = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if field is None:
            continue
        if field == "provider":
            out.append(provider_role(decision, rule))
        else:
            out.append(fact_words(field, values.get(field), decision))
    return "".join(out)


def reason_phrases(decision: Decision, match: Match, *, silent: bool = True) -> list[str]:
    """Say, one phrase per fact, the checks that made *match*'s rule apply.

    The rule's own phrase for a fact when it gives one (an empty one leaves
    the fact unsaid unless *silent* is false), else :func:`generated_phrase`.
    """
    rule = decision.ruleset.rule(match.rule_id)
    say = dict(rule.say)
    found: list[str] = []
    seen: set[str] = set()
    for check in match.checks:
        if check.fact in seen:
            continue
        seen.add(check.fact)
        template = say.get(check.fact)
        if template is None or (not template and not silent):
            phrase = generated_phrase(check, decision)
        elif not template:
            continue
        else:
            phrase = _say(template, decision, rule)
        if phrase not in found:
            found.append(phrase)
    return found


def _sentence(text: str) -> str:
    text = printable(text.strip())  # a because: text from a file never drives a terminal
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _said(decision: Decision, match: Match) -> str:
    return join_and(
        reason_phrases(decision, match) or reason_phrases(decision, match, silent=False)
    )


def _verdict_sentence(decision: Decision) -> str:
    name = f"\u201c{printable(decision.task.name)}\u201d"
    if decision.verdict is Verdict.KEEP:
        return f"Keep doing {name} yourself."
    if decision.verdict is Verdict.ELIMINATE:
        return f"Stop doing {name} altogether."
    return f"Hand {name} off to {_article(provider_role(decision))}."


def _others(decision: Decision) -> list[str]:
    winner = decision.rule
    if winner is None:
        return []
    same: list[str] = []
    tie: list[str] = []
    against: dict[Verdict, list[str]] = {}
    for match in decision.matches[1:]:
        said = _said(decision, match)
        if match.verdict is not winner.verdict:
            against.setdefault(match.verdict, []).append(said)
        elif match.priority == winner.priority:
            tie.append(said)
        else:
            same.append(said)
    found = []
    if tie:
        found.append(
            _sentence(f"{'; '.join(tie)}: just as strong a reason to {_VERB[winner.verdict]}")
        )
    if same:
        found.append(_sentence("Also pointing the same way: " + "; ".join(same)))
    for verdict, reasons in against.items():
        if len(reasons) == 1:
            found.append(
                _sentence(
                    f"On the other side, {reasons[0]}: a reason to {_VERB[verdict]}, "
                    "but the reason above weighs more"
                )
            )
        else:
            found.append(
                _sentence(
                    f"On the other side, {join_and(reasons)}: reasons to {_VERB[verdict]}, "
                    "but the reason above weighs more"
                )
            )
    return found


def _scale(decision: Decision) -> tuple[str, float | None, float | None, str]:
    """How to say the task's money and hours: once, a week or a year."""
    economics = decision.economics
    if decision.task.one_off:
        return "in all", economics.saving_per_year, economics.hours_per_year, ""
    weekly = economics.hours_per_week
    if weekly is not None and weekly >= 1:
        return "a week", economics.saving_per_week, weekly, " a week"
    return "a year", economics.saving_per_year, economics.hours_per_year, " a year"


def _cites_hours(decision: Decision) -> bool:
    return any(c.fact in _HOUR_FACTS for m in decision.matches for c in m.checks)


def _economics(decision: Decision) -> list[str]:
    verdict = decision.verdict
    span, saving, spent, per = _scale(decision)
    found: list[str] = []
    if verdict is Verdict.OUTSOURCE:
        if _cites_hours(decision):
            pass  # the reason already said the hours
        elif spent is not None and decision.task.one_off:
            found.append(f"It is a one-off project of {hours(spent)}.")
        elif spent is not None:
            found.append(f"It takes you {hours(spent)}{per}.")
        if saving is not None:
            found.append(_saving_sentence(decision, saving, span))
    elif verdict is Verdict.ELIMINATE and spent is not None:
        found.append(f"Dropping it frees {hours(spent)}{per}.")
    elif verdict is Verdict.KEEP and decision.rule is None:
        found.extend(_rates_imply(decision))
    return found


def _saving_sentence(decision: Decision, saving: float, span: str) -> str:
    rounded = round(saving)
    yearly = decision.economics.saving_per_year
    also = ""
    if span == "a week" and yearly is not None:
        also = f" ({_money(decision, abs(yearly))} a year)"
    if rounded > 0:
        return f"Handing it off saves about {_money(decision, saving)} {span}{also}."
    if rounded < 0:
        return f"Handing it off costs about {_money(decision, -saving)} {span} more{also}."
    return "Handing it off costs about the same as your own time."


def _rates_imply(decision: Decision) -> list[str]:
    """For a task kept for no reason: what handing it off would save or cost."""
    facts = decision.facts
    ratio = facts.get("rate_ratio")
    role = provider_role(decision)
    span, saving, _spent, _per = _scale(decision)
    if saving is None and ratio is None:
        return []
    if ratio is not None and ratio < 1:
        worth = f"the {role}'s hour costs more than yours"
    elif ratio is not None:
        worth = f"your hour is worth only {number(ratio)} times the {role}'s"
    else:
        worth = ""
    if saving is None:
        return [_sentence(worth)]
    rounded = round(saving)
    if rounded > 0:
        head = f"handing it off would save about {_money(decision, saving)} {span}"
    elif rounded < 0:
        head = f"handing it off would cost about {_money(decision, -saving)} {span} more"
    else:
        head = "handing it off would cost about the same as your own time"
    if worth and rounded > 0:
        return [_sentence(f"{head}, but {worth}")]
    return [_sentence(f"{head}: {worth}" if worth else head)]


def explain(decision: Decision) -> str:
    """Return the decision told to the owner, in a few plain sentences."""
    parts = [_verdict_sentence(decision)]
    match = decision.matches[0] if decision.matches else None
    if match is not None and decision.rule is not None:
        said = _said(decision, match)
        if said:
            parts.append(_sentence(said))
        parts.append(_sentence(decision.rule.because))
    else:
        parts.append(_sentence(decision.ruleset.default_because))
    parts.extend(_others(decision))
    parts.extend(_economics(decision))
    # A ruleset's reasons and a task's words may hold control characters: escape them.
    return printable(" ".join(p for p in parts if p))


def short_reason(decision: Decision) -> str:
    """Say in a few words why, for a table (``You have basic skill at it.``)."""
    match = decision.matches[0] if decision.matches else None
    if match is None or decision.rule is None:
        return _sentence(decision.ruleset.default_because)
    return _sentence(_said(decision, match)) or _sentence(decision.rule.because)
