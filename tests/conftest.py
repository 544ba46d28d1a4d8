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


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright for Python (never a downloaded browser)."""
    from tests.support import CHROMIUM, CHROMIUM_ARGS, missing_component

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_component("Playwright for Python is not installed: .venv/bin/pip install playwright "
                          "(no 'playwright install' needed; the system Chromium is used)")
    if not CHROMIUM.exists():
        missing_component(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium chromium-driver, "
                          "or set DEALGRAPH_CHROMIUM to a Chromium binary")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()

