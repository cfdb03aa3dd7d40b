"""The ``{ruleset-schema}`` directives: the ruleset file format, generated from its JSON Schema.

``{ruleset-schema}`` renders one object of the schema that ships with the
package (:func:`outsourcing_rules.ruleset_schema`): with no argument the
top level of a ruleset file, else the named entry of ``$defs`` (``rule``,
``condition``...). Each becomes its description and a table of its keys:
type, whether it is required, and what it means. Types that are themselves
objects link to their own table, so all of them belong on one page; a
consistency check warns when an object of the schema has no table anywhere,
so a key added to the schema cannot go undocumented.

``{ruleset-schema-source}`` prints the schema itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ._nodes import Cell, code, either, paragraph, table

logger = logging.getLogger(__name__)

ROOT = "ruleset"
_ENV_KEY = "outsourcing_docs_schema"


def _schema() -> dict[str, Any]:
    from outsourcing_rules import ruleset_schema

    return ruleset_schema()


def anchor(name: str) -> str:
    """Return the HTML id of the table of the schema object *name*."""
    return f"schema-{name}"


def objects(schema: Mapping[str, Any]) -> list[str]:
    """Return the names of the schema's objects that get a table: the root, then ``$defs``."""
    return [ROOT] + [name for name, node in schema.get("$defs", {}).items() if "properties" in node]


def _lookup(schema: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    if name == ROOT:
        return schema
    return schema["$defs"][name]


def _ref_name(ref: str) -> str:
    prefix = "#/$defs/"
    if not ref.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref[len(prefix) :]


_TYPES = {
    "string": "text",
    "integer": "integer",
    "number": "number",
    "boolean": "true or false",
    "object": "mapping",
    "array": "list",
}


def kind(node: Mapping[str, Any], schema: Mapping[str, Any]) -> list[nodes.Node]:
    """Say in words (and links) what values *node* of the schema allows."""
    if "$ref" in node:
        name = _ref_name(node["$ref"])
        target = schema["$defs"][name]
        if "properties" in target:
            link = nodes.reference("", "", refid=anchor(name))
            link += nodes.Text(name)
            return [link]
        return kind(target, schema)
    if "enum" in node:
        return either([code(v if isinstance(v, str) else json.dumps(v)) for v in node["enum"]])
    for key in ("oneOf", "anyOf"):
        if key in node and all("required" not in alt or len(alt) > 1 for alt in node[key]):
            alternatives = [kind(alt, schema) for alt in node[key]]
            out: list[nodes.Node] = []
            for index, alt in enumerate(alternatives):
                if index:
                    out.append(nodes.Text(", or "))
                out.extend(alt)
            return out
    types = node.get("type")
    if isinstance(types, list):
        return either(["boolean" if t == "boolean" else _TYPES[t] for t in types])
    if types == "array":
        items = kind(node.get("items", {}), schema)
        size = "non-empty list" if node.get("minItems", 0) >= 1 else "list"
        return [nodes.Text(f"{size} of "), *items]
    if types == "object" and "properties" in node:
        parts = [
            [code(key), nodes.Text(" ("), *kind(spec, schema), nodes.Text(")")]
            for key, spec in node["properties"].items()
        ]
        out = [nodes.Text("mapping of ")]
        for index, part in enumerate(parts):
            if index:
                out.append(nodes.Text(" and " if index == len(parts) - 1 else ", "))
            out.extend(part)
        return out
    if types == "object":
        extra = node.get("additionalProperties")
        if isinstance(extra, Mapping):
            return [nodes.Text("mapping of names to "), *kind(extra, schema)]
        return [nodes.Text("mapping")]
    if types == "string":
        if node.get("pattern") == "^\\$":
            return [nodes.Text("a "), code("$parameter"), nodes.Text(" reference")]
        text = "non-empty text" if node.get("minLength", 0) >= 1 else "text"
        if "pattern" in node:
            return [nodes.Text(f"{text} matching "), code(node["pattern"])]
        return [nodes.Text(text)]
    if isinstance(types, str):
        return [nodes.Text(_TYPES[types])]
    return [nodes.Text("any value")]


def _one_of_required(node: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for alt in node.get("oneOf", []):
        if set(alt) == {"required"}:
            names.extend(alt["required"])
    return names


def meaning(name: str, key: str, spec: Mapping[str, Any]) -> str:
    """Return what the key *key* of schema object *name* means: its schema description.

    A comparison's operators are described by the rule vocabulary
    (``OPERATORS``), the same words explanations use.
    """
    if "description" in spec:
        return str(spec["description"])
    if name == "comparison":
        from outsourcing_rules.core.vocabulary import OPERATORS

        if key in OPERATORS:
            return f"The fact is {OPERATORS[key]} the value."
    return ""


def undescribed(schema: Mapping[str, Any]) -> list[str]:
    """Return ``object.key`` for every key of a documented object that nothing describes."""
    missing = []
    for name in objects(schema):
        for key, spec in _lookup(schema, name)["properties"].items():
            if not meaning(name, key, spec):
                missing.append(f"{name}.{key}")
            nested = spec.get("properties", {}) if spec.get("type") == "object" else {}
            missing.extend(f"{name}.{key}.{k}" for k, v in nested.items() if "description" not in v)
    return missing


def keys_table(name: str, schema: Mapping[str, Any]) -> nodes.table:
    """Return the table of the keys of the schema object *name*."""
    node = _lookup(schema, name)
    required = set(node.get("required", ()))
    exclusive = _one_of_required(node)
    rows: list[list[Cell]] = []
    for key, spec in node["properties"].items():
        if key in required:
            needed = "yes"
        elif key in exclusive:
            needed = "one of " + ", ".join(exclusive)
        else:
            needed = "no"
        rows.append([code(key), kind(spec, schema), needed, meaning(name, key, spec)])
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        rows.append(
            [
                nodes.emphasis("", "any other key"),
                kind(extra, schema),
                "no",
                "The key is a fact name (see the facts reference).",
            ]
        )
    return table(["Key", "Value", "Required", "Meaning"], rows, widths=[16, 30, 10, 44])


class RulesetSchema(SphinxDirective):
    """Render one object of the ruleset schema: its description and its keys."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        """Build the description and the table."""
        schema = _schema()
        name = self.arguments[0] if self.arguments else ROOT
        if name not in objects(schema):
            raise self.error(
                f"the ruleset schema has no object {name!r}; it has {', '.join(objects(schema))}"
            )
        node = _lookup(schema, name)
        target = nodes.target("", "", ids=[anchor(name)])
        out: list[nodes.Node] = [target]
        if node.get("description"):
            out.append(paragraph(node["description"]))
        out.append(keys_table(name, schema))
        documented: dict[str, set[str]] = getattr(self.env, _ENV_KEY, {})
        documented.setdefault(self.env.docname, set()).add(name)
        setattr(self.env, _ENV_KEY, documented)
        return out


class RulesetSchemaSource(SphinxDirective):
    """Print the ruleset JSON Schema as shipped."""

    def run(self) -> list[nodes.Node]:
        """Return the schema as a JSON literal block."""
        text = json.dumps(_schema(), indent=2, ensure_ascii=False)
        return [nodes.literal_block(text, text, language="json")]


def _purge(_app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, _ENV_KEY, {}).pop(docname, None)


def _merge(
    _app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    mine: dict[str, set[str]] = getattr(env, _ENV_KEY, {})
    for docname, names in getattr(other, _ENV_KEY, {}).items():
        if docname in docnames:
            mine[docname] = names
    setattr(env, _ENV_KEY, mine)


def _check(_app: Sphinx, env: BuildEnvironment) -> None:
    documented: dict[str, set[str]] = getattr(env, _ENV_KEY, {})
    if not documented:
        return  # the page with the schema is not part of this build
    if len(documented) > 1:
        logger.warning(
            "the ruleset schema is documented on several pages (%s); keep it on one, "
            "its tables link to each other",
            ", ".join(sorted(documented)),
        )
    seen = set().union(*documented.values())
    for where in undescribed(_schema()):
        logger.warning(
            "the ruleset schema has no description for %s; add one to ruleset.schema.json", where
        )
    for name in objects(_schema()):
        if name not in seen:
            logger.warning(
                "the ruleset schema's %r has no {ruleset-schema} %s table in the documentation",
                name,
                name,
            )


def setup(app: Sphinx) -> None:
    """Register the directives and the consistency check."""
    app.add_directive("ruleset-schema", RulesetSchema)
    app.add_directive("ruleset-schema-source", RulesetSchemaSource)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
