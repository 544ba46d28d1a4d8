from tests.neo4j_server import neo4j_uri, neo4j_driver  # noqa: F401


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def tiny():
    """The hand-worked seed set of ``graph.analysis.examples`` (its docstring lists every record), loaded."""
    from graph.analysis.examples import tiny_dataset

    return tiny_dataset()
