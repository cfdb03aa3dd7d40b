"""A ruleset check written out: text, JSON, SARIF 2.1.0 and GitHub Actions annotations.

One :class:`~outsourcing_rules.quality.CheckReport` in, four forms out:

* ``text``: one line per finding (``file:line: severity: message [code]``),
  its witness task indented below, then a summary line;
* ``json``: the findings and the invariant proofs as data;
* ``sarif``: the Static Analysis Results Interchange Format 2.1.0 that code
  scanning services read (a finding is a result at its file and line);
* ``github``: ``::error file=...,line=...::message`` workflow commands, so
  a GitHub Actions job annotates the ruleset file in place.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..core.text import printable
from ..quality.checking import CheckReport
from ..quality.findings import SEVERITIES, Finding, Severity, render_case

#: The output formats of ``outsourcing-rules check``.
FORMATS = ("text", "json", "sarif", "github")

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _order(findings: Sequence[Finding], *, notes: bool) -> list[Finding]:
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    chosen = [f for f in findings if notes or f.severity is not Severity.INFO]
    return sorted(chosen, key=lambda f: (rank[f.severity], f.path or "", f.line or 0))


def _lines(findings: Sequence[Finding], *, notes: bool) -> list[str]:
    """One line per finding, its witness or counterexample task indented below."""
    lines: list[str] = []
    for finding in _order(findings, notes=notes):
        lines.append(printable(str(finding)))
        if finding.task is not None:
            case = render_case(finding.task, finding.owner)
            violated = finding.code == "invariant-violated"
            if not violated and case.removesuffix(" with no owner") in finding.message:
                continue  # the message shows it already
            label = "counterexample" if violated else "witness"
            lines.append(f"    {label}: {printable(case)}")
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def check_text(report: CheckReport, *, verbose: bool = False, strict: bool = False) -> str:
    """Return the report as lines of text; notes (overlaps, gaps) only when *verbose*."""
    lines = _lines(report.findings, notes=verbose)
    if verbose:
        for proof in report.proofs:
            lines.append(f"{proof.outcome}: {proof.invariant}: {printable(proof.detail)}")
    ruleset = report.ruleset
    where = f" ({ruleset.path})" if ruleset.path and ruleset.path != ruleset.name else ""
    proved = sum(1 for p in report.proofs if p.proved)
    if not report.invariants:
        how = "validated and analysed"
    elif report.method == "exact":
        how = f"{_plural(proved, 'invariant')} proved"
    else:
        how = "invariants searched"
    counts = [_plural(len(report.errors), "error"), _plural(len(report.warnings), "warning")]
    if report.notes:
        counts.append(_plural(len(report.notes), "note") + ("" if verbose else " (-v lists them)"))
    if not report.errors and not report.warnings:
        noted = f", {counts[-1]}" if report.notes else ""
        lines.append(f"ruleset {ruleset.name!r}{where}: {how}{noted}; no problems found")
    else:
        verdict = "" if report.passed(strict=strict) else " (check failed)"
        lines.append(f"ruleset {ruleset.name!r}{where}: {how}; {', '.join(counts)}{verdict}")
    return "\n".join(lines)


def check_json(report: CheckReport) -> dict[str, Any]:
    """Return the report as JSON-serialisable data."""
    return {
        "ruleset": report.ruleset.name,
        "path": report.ruleset.path,
        "ok": report.ok,
        "method": report.method,
        "findings": [f.to_dict() for f in report.findings],
        "proofs": [
            {
                "invariant": p.invariant,
                "outcome": p.outcome,
                "detail": p.detail,
                "seconds": round(p.seconds, 4),
            }
            for p in report.proofs
        ],
    }


def check_sarif(report: CheckReport) -> dict[str, Any]:
    """Return the report as a SARIF 2.1.0 log with one run."""
    return _sarif(report.findings)


def _sarif(findings: Sequence[Finding]) -> dict[str, Any]:
    from .. import __version__

    codes = sorted({f.code for f in findings})
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": codes.index(finding.code),
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
        }
        if finding.path:
            location: dict[str, Any] = {"artifactLocation": {"uri": finding.path}}
            if finding.line is not None:
                location["region"] = {"startLine": finding.line}
                if finding.column is not None:
                    location["region"]["startColumn"] = finding.column
            result["locations"] = [{"physicalLocation": location}]
        if finding.task is not None:
            result["properties"] = finding.to_dict()
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "outsourcing-rules",
                        "version": __version__,
                        "rules": [
                            {
                                "id": code,
                                "defaultConfiguration": {"level": _SARIF_LEVEL[SEVERITIES[code]]},
                            }
                            for code in codes
                        ],
                    }
                },
                "results": results,
            }
        ],
    }


def _escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def check_github(report: CheckReport) -> str:
    """Return the findings as GitHub Actions workflow commands, one a line."""
    return _github(report.findings)


def _github(findings: Sequence[Finding]) -> str:
    lines = []
    for finding in _order(findings, notes=True):
        props = []
        if finding.path:
            props.append(f"file={_escape(finding.path, property_value=True)}")
        if finding.line is not None:
            props.append(f"line={finding.line}")
            if finding.column is not None:
                props.append(f"col={finding.column}")
        props.append(f"title={_escape(finding.code, property_value=True)}")
        message = finding.message
        if finding.task is not None:
            message += f" (witness: {render_case(finding.task, finding.owner)})"
        lines.append(f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{_escape(message)}")
    return "\n".join(lines)


def render_check(
    report: CheckReport, form: str, *, verbose: bool = False, strict: bool = False
) -> str:
    """Return *report* in *form*, one of :data:`FORMATS`."""
    if form == "json":
        return json.dumps(check_json(report), indent=2, ensure_ascii=False)
    if form == "sarif":
        return json.dumps(check_sarif(report), indent=2, ensure_ascii=False)
    if form == "github":
        return check_github(report)
    if form == "text":
        return check_text(report, verbose=verbose, strict=strict)
    raise ValueError(f"unknown format {form!r}; use one of {', '.join(FORMATS)}")


def render_problems(
    findings: Sequence[Finding],
    form: str,
    *,
    verbose: bool = False,
    name: str | None = None,
    path: str | None = None,
    lint_only: bool = False,
) -> str:
    """Return the findings of a ruleset that does not load in *form*, one of :data:`FORMATS`.

    *findings* are :func:`~outsourcing_rules.quality.find_problems`'
    (``invalid`` problems and the lint of the rules that could be read);
    *name* and *path* say which ruleset, for the JSON form. ``text`` gives
    one line per finding (notes only when *verbose*) and a closing line;
    with *lint_only*, the ``invalid`` lines are left out (the command line
    writes those to standard error).
    """
    if form == "json":
        data = {
            "ruleset": name,
            "path": path,
            "ok": False,
            "loaded": False,
            "findings": [f.to_dict() for f in findings],
            "proofs": [],
        }
        return json.dumps(data, indent=2, ensure_ascii=False)
    if form == "sarif":
        return json.dumps(_sarif(findings), indent=2, ensure_ascii=False)
    if form == "github":
        return _github(findings)
    if form != "text":
        raise ValueError(f"unknown format {form!r}; use one of {', '.join(FORMATS)}")
    shown = [f for f in findings if not (lint_only and f.code == "invalid")]
    lines = _lines(shown, notes=verbose)
    invalid = sum(1 for f in findings if f.code == "invalid")
    linted = [f for f in findings if f.code != "invalid"]
    errors = sum(1 for f in linted if f.severity is Severity.ERROR)
    warnings = sum(1 for f in linted if f.severity is Severity.WARNING)
    lines.append(
        f"the ruleset does not load ({_plural(invalid, 'problem')}); the rules that could "
        f"be read were linted: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}; "
        "no invariant was verified (check failed)"
    )
    return "\n".join(lines)
