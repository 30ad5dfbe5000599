"""A bounded OpenAPI fuzz run (schemathesis) against the app ``ridgeline serve`` builds, served
by uvicorn on 127.0.0.1 over a small real LanceDB index: every operation of /openapi.json gets
generated requests (valid and invalid), and none may be answered with a 5xx.

Bounded and deterministic: a fixed number of examples per operation, derandomized Hypothesis.
"""

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from ridgeline.cli import wiring
from ridgeline.plugins.registry import plugin_registry
from ridgeline.settings import Settings
from tests.fakes import HashingEmbedder
from tests.servers import serve_in_thread

pytestmark = pytest.mark.integration

# Per operation and generation mode (valid, invalid): 15 operations x 2 x 15, about 280 requests.
EXAMPLES = 15


@pytest.fixture(scope="module")
def served_schema(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    docs = root / "docs"
    docs.mkdir()
    (docs / "policies.md").write_text("# Returns\n\nReturns are accepted within 30 days.\n")
    with plugin_registry().scoped() as plugins:
        plugins.text_embedders.register("fuzz-hashing", lambda s: HashingEmbedder(dimension=384))
        settings = Settings(
            index_dir=root / "index",
            chat_data_dir=root / "chat",
            image_embedder="none",
            text_embedder="fuzz-hashing",
            allow_anonymous_uploads=True,  # so that the upload routes are fuzzed, not refused
        )
        index = wiring.build_index(settings)
        wiring.build_pipeline(settings, index).run([docs])
        app = wiring.build_chat_app(settings, index)
        # Served inside the scope: uploads build their pipelines (and embedder) on demand.
        with serve_in_thread(app) as base_url:
            httpx.get(f"{base_url}/health", timeout=10).raise_for_status()
            yield schemathesis.openapi.from_url(f"{base_url}/openapi.json")


def fuzz(operation, mode, calls):
    """Runs ``EXAMPLES`` generated requests of one operation; a 5xx fails the run."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(timeout=30)
        calls.append(response.status_code)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}: "
            f"{response.text[:300]}\n{case.as_curl_command()}"
        )

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body (GET /health) has no invalid form.
        if mode is not GenerationMode.NEGATIVE:
            raise


def test_no_generated_request_gets_a_server_error(served_schema):
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert len(operations) >= 10
    calls: list[int] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, calls)
    assert len(calls) >= 200, len(calls)  # a few hundred cases, as bounded above
