"""A web service that decides tasks: the example of the web-app how-to.

Run it with ``uvicorn web_app:app`` (``pip install 'outsourcing-rules[web]' uvicorn``)
and open ``/docs`` for the OpenAPI page, where the request body is the
library's own Task and Owner schemas.

POST /rulesets/{name}/decisions with {"task": {...}, "owner": {...}}:

- 200 with the decision's JSON (``Decision.to_dict()``, see ``decision_schema()``);
- 400 when the body is not JSON, 413 when it is too large;
- 404 for a ruleset it does not know, listing the ones it does;
- 422 when the body is not an object with a task, or when facts are bad:
  every bad fact at once, each with its key (``task.skill``) and a
  did-you-mean where one is close.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from outsourcing_rules import (
    FactError,
    Owner,
    Ruleset,
    Task,
    decide,
    decision_schema,
    load_ruleset,
    owner_schema,
    task_schema,
)

#: The largest request body read, in bytes: a task is a few hundred.
MAX_BODY = 64 * 1024

#: The body of a decision request, as OpenAPI shows it.
REQUEST = {
    "type": "object",
    "properties": {
        "task": {"$ref": "#/components/schemas/Task"},
        "owner": {"$ref": "#/components/schemas/Owner"},
    },
    "required": ["task"],
    "additionalProperties": False,
}


def problem(status: int, message: str, **detail: Any) -> JSONResponse:
    """Answer *status* with a JSON body that says what is wrong."""
    return JSONResponse({"error": message, **detail}, status_code=status)


def kind(value: object) -> str:
    """Name the kind of a JSON value as JSON does."""
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null"


def bad_facts(where: str, error: FactError) -> list[dict[str, Any]]:
    """Every problem of *error*, each keyed by its place in the body (``task.skill``)."""
    return [{**found, "key": f"{where}.{found['key']}"} for found in error.to_dict()]


def create_app(rulesets: Mapping[str, Ruleset]) -> FastAPI:
    """Build the service for *rulesets*, loaded once, by the name clients use."""
    app = FastAPI(title="Outsourcing decisions", version="1")

    @app.get("/rulesets")
    def list_rulesets() -> dict[str, list[str]]:
        """Name the rulesets this service decides with."""
        return {"rulesets": sorted(rulesets)}

    @app.post(
        "/rulesets/{name}/decisions",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": REQUEST}},
            },
            "responses": {
                "200": {
                    "description": "The decision",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}
                    },
                }
            },
        },
    )
    async def decide_task(name: str, request: Request) -> JSONResponse:
        """Decide one task: keep, outsource or eliminate, with everything behind it."""
        ruleset = rulesets.get(name)
        if ruleset is None:
            return problem(404, f"there is no ruleset {name!r}", known=sorted(rulesets))
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return problem(413, f"the body must be at most {MAX_BODY:,} bytes")
        try:
            body = json.loads(raw)
        except ValueError:  # not JSON, or not UTF-8
            return problem(400, "the body must be JSON")
        if not isinstance(body, dict):
            return problem(422, f"the body must be an object with a task, not {kind(body)}")
        unknown = sorted(key for key in body if key not in ("task", "owner"))
        if unknown:
            return problem(422, f"the body holds only task and owner, not {', '.join(unknown)}")
        if not isinstance(body.get("task"), dict):
            return problem(422, "task must be an object of task facts")
        errors: list[dict[str, Any]] = []
        task = owner = None
        try:
            task = Task.from_dict(body["task"])
        except FactError as error:
            errors += bad_facts("task", error)
        if body.get("owner") is not None:
            try:
                owner = Owner.from_dict(body["owner"])
            except FactError as error:
                errors += bad_facts("owner", error)
        if errors or task is None:
            return problem(422, f"{len(errors)} invalid facts", errors=errors)
        # Deciding is CPU work: off the event loop, so one request never stalls the rest.
        decision = await run_in_threadpool(decide, task, owner, ruleset=ruleset)
        return JSONResponse(decision.to_dict())

    def openapi() -> dict[str, Any]:
        """Return the OpenAPI document, with the library's schemas as its components."""
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, routes=app.routes)
            found = document.setdefault("components", {}).setdefault("schemas", {})
            for title, schema in (
                ("Task", task_schema()),
                ("Owner", owner_schema()),
                ("Decision", decision_schema()),
            ):
                found.update(as_component(title, schema))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def as_component(title: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Turn a standalone JSON Schema into OpenAPI components, its ``$defs`` beside it."""
    schema = {k: v for k, v in schema.items() if k not in ("$schema", "$id")}
    parts = {title: schema, **schema.pop("$defs", {})}
    text = json.dumps(parts).replace('"#/$defs/', '"#/components/schemas/')
    found: dict[str, Any] = json.loads(text)
    return found


# Load every ruleset once, at start-up: a broken one stops the deployment,
# not the first customer's request.
app = create_app(
    {
        "default": load_ruleset("default"),
        "acme": load_ruleset(Path(__file__).with_name("acme-agency.yaml")),
    }
)
