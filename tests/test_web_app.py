"""The web-app how-to's example service (docs/examples/web_app.py), through FastAPI's TestClient."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from outsourcing_rules import decision_schema, owner_schema, task_schema

APP_FILE = Path(__file__).parent.parent / "docs" / "examples" / "web_app.py"
SALLY = {"name": "Sally", "hourly_rate": 250, "core_competencies": ["consulting"]}
INVOICING = {
    "name": "Client invoicing",
    "category": "invoicing",
    "times_per_year": 52,
    "hours_each": 4,
    "provider_hourly_rate": 37.5,
}


def load_example() -> ModuleType:
    """Import the example file as the how-to shows it."""
    spec = importlib.util.spec_from_file_location("web_app", APP_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> TestClient:
    """Return a client of the example service, with its two rulesets."""
    return TestClient(load_example().app)


def post(client: TestClient, body: Any, ruleset: str = "default") -> tuple[int, Any]:
    """POST *body* as JSON; return the status and the decoded answer."""
    response = client.post(f"/rulesets/{ruleset}/decisions", json=body)
    return response.status_code, response.json()


def test_a_task_is_decided_with_everything_behind_it(client: TestClient) -> None:
    """A good request is a 200 with the whole decision, valid against decision_schema()."""
    status, answer = post(client, {"task": INVOICING, "owner": SALLY})
    assert status == 200
    jsonschema.validate(answer, decision_schema())
    assert (answer["verdict"], answer["rule"]) == ("outsource", "opportunity-cost")
    assert answer["economics"]["saving_per_week"] == 850.0
    assert answer["handoff"]["role"] == "bookkeeper"


def test_another_ruleset_is_chosen_by_name(client: TestClient) -> None:
    """The ruleset in the path decides: the agency keeps confidential work."""
    status, answer = post(client, {"task": {"name": "Payroll", "tags": ["confidential"]}}, "acme")
    assert (status, answer["rule"]) == (200, "confidential-stays")


def test_an_unknown_ruleset_is_a_404_listing_the_known(client: TestClient) -> None:
    """A ruleset the service does not have: 404, with the names it has."""
    status, answer = post(client, {"task": INVOICING}, "nope")
    assert status == 404
    assert answer == {"error": "there is no ruleset 'nope'", "known": ["acme", "default"]}


def test_a_body_that_is_not_json_is_a_400(client: TestClient) -> None:
    """Not JSON at all (or not UTF-8): 400 saying the body must be JSON."""
    for content in (b"task: {name: x}", b"\xff\xfe", b""):
        response = client.post(
            "/rulesets/default/decisions",
            content=content,
            headers={"Content-Type": "application/json"},
        )
        assert (response.status_code, response.json()) == (400, {"error": "the body must be JSON"})


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([INVOICING], "not an array"),
        ("Client invoicing", "not a string"),
        (42, "not a number"),
        (True, "not a boolean"),
        ({"owner": SALLY}, "task must be an object"),
        ({"task": "Client invoicing"}, "task must be an object"),
        ({"task": INVOICING, "ruleset": "acme"}, "not ruleset"),
    ],
)
def test_a_body_of_another_shape_is_a_422_naming_the_problem(
    client: TestClient, body: Any, says: str
) -> None:
    """An array, a scalar or an object without a task: 422, saying what is wrong."""
    status, answer = post(client, body)
    assert status == 422
    assert says in answer["error"]


def test_a_null_body_is_a_422(client: TestClient) -> None:
    """The JSON ``null`` is JSON, but not a request: 422."""
    response = client.post(
        "/rulesets/default/decisions",
        content=b"null",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "the body must be an object with a task, not null"


def test_bad_facts_are_a_422_with_every_bad_field(client: TestClient) -> None:
    """Every bad fact of the task and the owner at once, each with its key and a hint."""
    task = {"name": "Payroll", "skill": "basics", "enjoyment": "hates", "hours_eahc": 3}
    status, answer = post(client, {"task": task, "owner": {"hourly_rate": -5}})
    assert status == 422
    found = {e["key"]: e.get("suggestion") for e in answer["errors"]}
    assert found == {
        "task.skill": "basic",
        "task.enjoyment": "hate",
        "task.hours_eahc": "hours_each",
        "owner.hourly_rate": None,
    }
    assert answer["error"] == "4 invalid facts"
    assert all(e["message"] for e in answer["errors"])


def test_a_get_is_a_405(client: TestClient) -> None:
    """The decisions resource takes POST only."""
    assert client.get("/rulesets/default/decisions").status_code == 405


def test_a_huge_body_is_a_413(client: TestClient) -> None:
    """A body past the limit is refused before it is parsed."""
    status, _ = post(client, {"task": {"name": "x" * 70_000}})
    assert status == 413


def test_the_openapi_page_shows_the_librarys_schemas(client: TestClient) -> None:
    """Task, Owner and Decision are OpenAPI components, the request and answer point at them."""
    document = client.get("/openapi.json").json()
    components = document["components"]["schemas"]
    assert components["Task"]["properties"] == task_schema()["properties"]
    assert components["Owner"]["properties"] == owner_schema()["properties"]
    assert "counterfactual" in components  # the decision schema's $defs, lifted beside it
    operation = document["paths"]["/rulesets/{name}/decisions"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["task"] == {"$ref": "#/components/schemas/Task"}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/Decision"}
    assert '"#/$defs/' not in str(document)


def test_the_rulesets_are_listed(client: TestClient) -> None:
    """GET /rulesets names the rulesets loaded at start-up."""
    assert client.get("/rulesets").json() == {"rulesets": ["acme", "default"]}
