"""The explorer's test fixtures: one app per session with its own cache folder, and its HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cartsim.web.app import create_app


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("explorer-cache")


@pytest.fixture(scope="session")
def client(cache_folder: Path) -> Iterator[TestClient]:
    with TestClient(create_app(cache_folder)) as client:
        yield client


@pytest.fixture(scope="session")
def default_answer(client: TestClient) -> dict:
    """The answer to the form's default question (RRMS on ocrelizumab: stay vs CD19 CAR-T)."""
    response = client.post("/api/answer", json={})
    assert response.status_code == 200, response.text
    return response.json()
