"""Smoke test for the real Neo4j 5.26 test server (tests/neo4j_server.py)."""

import os
import uuid


def test_create_read_delete_node(neo4j_driver):
    marker = f"harness-smoke-{uuid.uuid4()}"
    with neo4j_driver.session() as session:
        try:
            created = session.execute_write(
                lambda tx: tx.run(
                    "CREATE (n:HarnessSmoke {marker: $marker, value: $value}) RETURN n.value AS value",
                    marker=marker, value=42,
                ).single()["value"]
            )
            assert created == 42

            record = session.execute_read(
                lambda tx: tx.run(
                    "MATCH (n:HarnessSmoke {marker: $marker}) RETURN n.value AS value, count(*) AS c",
                    marker=marker,
                ).single()
            )
            assert record["value"] == 42
            assert record["c"] == 1
        finally:
            session.execute_write(
                lambda tx: tx.run("MATCH (n:HarnessSmoke {marker: $marker}) DELETE n", marker=marker).consume()
            )

        remaining = session.run(
            "MATCH (n:HarnessSmoke {marker: $marker}) RETURN count(n) AS c", marker=marker
        ).single()["c"]
        assert remaining == 0


def test_server_is_neo4j_5_26(neo4j_driver):
    with neo4j_driver.session() as session:
        components = session.run("CALL dbms.components() YIELD name, versions, edition "
                                 "RETURN name, versions, edition").data()
    kernel = [c for c in components if c["name"] == "Neo4j Kernel"]
    assert kernel, components
    version = kernel[0]["versions"][0]
    if os.environ.get("NEO4J_URI"):
        # an external server of the user's choosing: any Neo4j 5 will do
        assert version.startswith("5."), version
    else:
        assert version.startswith("5.26."), version
        assert kernel[0]["edition"] == "community"
