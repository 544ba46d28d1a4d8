from tests.neo4j_server import neo4j_uri, neo4j_driver  # noqa: F401


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tiny():
    """The hand-worked seed set of ``graph.analysis.examples`` (its docstring lists every record), loaded."""
    from graph.analysis.examples import tiny_dataset

    return tiny_dataset()


@pytest.fixture(autouse=True)
def _no_build_of_the_checkout(monkeypatch, tmp_path_factory):
    """Read commands answer from the build in $DEALGRAPH_OUT (default ./out) when it is current: point it at an
    empty folder so that an out/ left in the checkout by a developer never decides a test's outcome."""
    monkeypatch.setenv("DEALGRAPH_OUT", str(tmp_path_factory.getbasetemp() / "no-build"))
