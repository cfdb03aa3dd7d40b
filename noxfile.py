"""Sessions CI runs (``bash .ci/run``), and that developers can run one by one (``nox -s NAME``)."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "tests", "scale", "wheel", "docs", "browser"]
nox.options.reuse_existing_virtualenvs = False

PYTHONS = ["3.11", "3.12", "3.13"]


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Ruff: lint and formatting."""
    session.install("ruff>=0.5")
    paths = [
        p
        for p in (
            "src",
            "tests",
            "tests_scale",
            "tests_browser",
            "benchmarks",
            "docs",
            "noxfile.py",
        )
        if Path(p).exists()
    ]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """Type-check the package with mypy --strict."""
    # The test extra too: the pytest plugin is typed against pytest.
    session.install(".[dev,test]")
    session.run("mypy")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The README's test command: install the package with its test extra, run pytest.

    On 3.13 durable-rules does not install (its C extension does not build
    there), so its tests are skipped with the reason; everything else runs.
    """
    # The test extra brings the frames extra (polars, pyarrow) and pandas;
    # Dask and Spark are left to the scale session.
    session.run("python", "-m", "pip", "install", "--quiet", ".[test]", "coverage[toml]")
    # Run from a directory outside the source tree so the installed wheel is
    # what gets imported (that is how users get it).
    session.run(
        "python",
        "-m",
        "coverage",
        "run",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        *session.posargs,
    )
    # Branch coverage, reported on every Python; where durable-rules does not
    # import, its engine module cannot run and is left out of the figure.
    durable_missing = session.python == "3.13"
    omit = ["--omit=*/engines/durable.py"] if durable_missing else []
    session.run("python", "-m", "coverage", "report", "--skip-covered", "--fail-under=85", *omit)


@nox.session(python="3.11")
def scale(session: nox.Session) -> None:
    """Dask and Spark for real: frames.dask_decide and frames.spark_decide (tests_scale/).

    Kept out of the tests session, which needs neither Dask nor PySpark; here
    they are installed and every test runs (Spark in local mode, on Java).
    """
    session.install(".[test,frames,dask,spark]")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "tests_scale", *session.posargs)


@nox.session(python="3.11")
def browser(session: nox.Session) -> None:
    """Render the HTML report in headless Chromium at 1280 and 390 pixels wide.

    Its tests live in tests_browser/, which the tests session never collects.
    Chromium is Debian's (``.ci/run`` installs it when missing); Playwright
    drives it, without downloading a browser of its own.
    """
    session.install(".[test]", "playwright>=1.40")
    session.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "tests_browser", *session.posargs
    )


@nox.session(python="3.11")
def wheel(session: nox.Session) -> None:
    """Build the wheel, check it carries its data files, and try it installed without extras."""
    session.install("build")
    tmp = session.create_tmp()
    session.run("python", "-m", "build", "--wheel", "--outdir", tmp)
    session.run("python", "tests/wheel_contents.py", tmp)
    # Installed alone, without extras: deciding works, and check says which extra it needs.
    wheels = sorted(Path(tmp).glob("outsourcing_rules-*.whl"))
    session.install(str(wheels[-1]))
    session.run("python", "tests/wheel_light.py")


@nox.session(python="3.11")
def mutation(session: nox.Session) -> None:
    """Mutation testing with mutmut over core, decisions, economics and explain.

    Not run by CI (``nox -s mutation`` by hand): the whole scope takes hours
    on one core. The scope and the curated test selection are in
    pyproject.toml's ``[tool.mutmut]``; survivors are listed, each killed or
    justified, in tests/mutation-survivors.md. Extra arguments go to
    ``mutmut run``: mutant name patterns run a piece of the scope
    (``nox -s mutation -- "outsourcing_rules.explain.voice.*"``); one worker
    unless ``--max-children`` is given.
    """
    session.install("-e", ".[test]", "mutmut>=3.8")
    args = list(session.posargs)
    if "--max-children" not in args:
        args = ["--max-children", "1", *args]
    env = {"HYPOTHESIS_PROFILE": "quick"}
    session.run("mutmut", "run", *args, env=env)
    session.run("mutmut", "results", env=env)


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the documentation with warnings as errors, and run its examples as doctests."""
    session.install(".[docs,frames]")
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "doctest", "docs", "docs/_build/doctest"
    )
