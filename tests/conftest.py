from tests.neo4j_server import neo4j_uri, neo4j_driver  # noqa: F401
