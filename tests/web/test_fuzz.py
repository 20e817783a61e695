"""The explorer's API fuzzed from its own OpenAPI schema (schemathesis): no request gives a 500.

In-process (ASGI: nothing on the network) and bounded: a fixed number of examples per
operation, valid and invalid ones (schemathesis' positive and negative modes); the app's work
limit is lowered so that the valid questions stay small trials. Every response is one the API
documents: 200, 400 (a body that is not JSON), 404, 405 (a method the path does not take), 422 naming each field, value and
what is allowed, or 503.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from cartsim.web.app import create_app

#: Most patient-years a fuzzed question may simulate (a few seconds at most).
_FUZZ_WORK = 60
_app = create_app(Path(tempfile.mkdtemp(prefix="cartsim-fuzz-")), wait_s=120, max_work=_FUZZ_WORK)
schema = schemathesis.openapi.from_asgi("/openapi.json", _app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_fails_the_server(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code in (200, 400, 404, 405, 422, 503), (response.status_code, response.text[:500])
    if response.status_code in (400, 404, 405, 422) and case.path.startswith("/api/"):
        errors = response.json()["errors"]
        assert errors and all({"field", "value", "allowed", "message"} <= set(e) for e in errors), errors
