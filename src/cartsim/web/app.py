"""The explorer's web application: one page, a JSON API, downloads (FastAPI).

FastAPI because it validates requests with pydantic models and publishes an OpenAPI schema
from the same models (which the tests fuzz), and runs on uvicorn, a small, well-kept ASGI
server. Safety: every field is checked (422 naming the field, the value and what is allowed,
in the library's words); the work of one question is bounded (:data:`MAX_WORK`); at most
``running`` questions are simulated at once and a question that cannot start within
``wait_s`` gets 503 with ``Retry-After`` (never a hang); identical questions are answered once
and then from the cache; nothing is written outside the cache folder (but the compiled
model code every cartsim run caches, :func:`cartsim.engine.codegen.cache_dir`).
"""

from __future__ import annotations

import importlib.resources
import threading
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from cartsim.errors import InputError
from cartsim.web.cache import DOWNLOADS, AnswerCache, question_key
from cartsim.web.errors import field_errors, json_error
from cartsim.web.request import MAX_HISTORY_YEARS, OPTION_NAMES, Question

__all__ = ["MAX_WORK", "create_app"]

#: Most patient-years one question may simulate per hypothesis: patients x options x (years + history).
MAX_WORK = 1200
_KEY = r"^[0-9a-f]{24}$"


class _Busy(Exception):
    pass


def _work(question: Question) -> int:
    options = sum(bool(getattr(question.options, o)) for o in OPTION_NAMES)
    return question.patients * options * (question.years + MAX_HISTORY_YEARS)


def _check_work(question: Question, most: int) -> None:
    work = _work(question)
    if work > most:
        raise InputError(
            "patients",
            question.patients,
            f"patients x options x (years + {MAX_HISTORY_YEARS}) at most {most} (this question: {work}); fewer patients, options or years",
        )


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _static(name: str) -> str:
    return importlib.resources.files("cartsim.web").joinpath("static", name).read_text(encoding="utf-8")


def create_app(
    cache_folder: Path,
    *,
    running: int = 1,
    wait_s: float = 10.0,
    max_work: int = MAX_WORK,
    presets: Sequence[Question] = (),
    hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The explorer, caching answers in ``cache_folder``.

    Parameters
    ----------
    cache_folder
        The only folder the app writes to (created if missing).
    running
        Questions simulated at once (each uses every core the engine sees).
    wait_s
        How long a question waits for a free slot before the answer is 503 with a retry hint.
    max_work
        Most patient-years one question may simulate per hypothesis (see :data:`MAX_WORK`).
    presets
        Questions answered in the background at start, so that they are answered instantly.
    hosts
        Host names the app answers to (others get 400): a page elsewhere cannot reach a
        loopback server by rebinding its own name to 127.0.0.1. None: any.
    """
    from cartsim.engine import DISCLAIMER

    cache = AnswerCache(cache_folder)
    slots = threading.BoundedSemaphore(running)
    pending: dict[str, threading.Lock] = {}
    pending_lock = threading.Lock()
    app = FastAPI(
        docs_url=None,  # the interactive docs load their scripts from a CDN: the schema is at /openapi.json
        redoc_url=None,
        title="cartsim explorer",
        description=f"CAR-T cell therapy vs anti-CD20 antibodies in MS, in virtual patients. {DISCLAIMER}",
        version=__import__("cartsim").__version__,
    )
    if hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))

    def solve(question: Question) -> tuple[str, dict[str, Any]]:
        _check_work(question, max_work)
        key = question_key(question)
        if (found := cache.get(key)) is not None:
            return key, found
        with pending_lock:
            lock = pending.setdefault(key, threading.Lock())  # one per question asked (kept: a few bytes each)
        deadline = time.monotonic() + wait_s
        # The same question asked twice at once is simulated once; both waits share one deadline.
        if not lock.acquire(timeout=wait_s):
            raise _Busy
        try:
            if (found := cache.get(key)) is not None:
                return key, found
            if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise _Busy
            try:
                from cartsim.web import answer

                found, result = answer.answer(question)
                found["key"] = key
                cache.put(key, found, result)
            finally:
                slots.release()
        finally:
            lock.release()
        return key, found

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"errors": field_errors(exc.errors())})

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"errors": [json_error(exc)]})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's own refusals (a body it cannot parse, a method the path does not take) in the same shape.
        allowed = "a JSON object like " + Question().model_dump_json() if exc.status_code == 400 else "the API in /openapi.json"
        error = {"field": "body" if exc.status_code == 400 else "request", "value": str(exc.detail), "allowed": allowed}
        return JSONResponse(
            status_code=exc.status_code, content={"errors": [{**error, "message": str(exc.detail)}]}, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(_Busy)
    async def _busy(request: Request, exc: _Busy) -> JSONResponse:
        message = "the explorer is busy with other questions; please try again in a few seconds"
        return JSONResponse(status_code=503, content={"errors": [{"message": message}]}, headers={"Retry-After": "5"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return _static("index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name == "plotly.min.js":
            return FileResponse(_plotly_js(), media_type="text/javascript")
        types = {"app.js": "text/javascript", "style.css": "text/css"}
        if name not in types:
            return PlainTextResponse("not found", status_code=404)
        return Response(_static(name), media_type=types[name])

    @app.get("/api/health")
    def health() -> dict[str, str]:
        """Whether the explorer is up."""
        return {"status": "ok"}

    @app.post("/api/answer")
    def answer_question(question: Question) -> JSONResponse:
        """Simulate the question's options in virtual patients and answer in words and figures (cached)."""
        _, found = solve(question)
        return JSONResponse(found)

    @app.post("/api/scenario", response_class=PlainTextResponse)
    def scenario(question: Question) -> PlainTextResponse:
        """The cartsim scenario (TOML) behind the question's answer: run it with `cartsim run`."""
        from cartsim.web.answer import scenario_for

        _check_work(question, max_work)
        text = scenario_for(question).text
        return PlainTextResponse(
            text, media_type="application/toml", headers={"Content-Disposition": 'attachment; filename="scenario.toml"'}
        )

    @app.get("/api/results/{key}/{name}")
    def results(key: str, name: str) -> Response:
        """A download of an answered question: summary.csv, summary.parquet or patients.csv."""
        import re

        path = cache.file(key, name) if re.fullmatch(_KEY, key) else None
        if path is None:
            error = InputError("key/name", f"{key}/{name}", "the key of an answer already given and one of " + ", ".join(DOWNLOADS))
            return JSONResponse(status_code=404, content={"errors": [json_error(error)]})
        return FileResponse(path, media_type=DOWNLOADS[name], filename=name)

    @app.get("/api/parameters")
    def parameters() -> list[dict[str, Any]]:
        """Every parameter of the model: value, unit and source (a citation key or a stated assumption)."""
        from cartsim.models import full_model

        return [{"name": p.name, "value": p.value, "unit": p.unit, "source": p.source} for p in full_model().parameters]

    @app.get("/equations", response_class=HTMLResponse, include_in_schema=False)
    def equations() -> str:
        from cartsim.web.equations import equations_page

        return equations_page()

    if presets:
        threading.Thread(target=_answer_presets, args=(solve, tuple(presets)), daemon=True).start()
    return app


def _answer_presets(solve: Any, presets: tuple[Question, ...]) -> None:
    """Answer the presets one after another, each waiting its turn (visitors' questions still come first in line)."""
    for question in presets:
        for _ in range(60):
            try:
                solve(question)
                break
            except _Busy:
                continue
            except Exception as exc:  # noqa: BLE001 - a preset that fails is answered (with its error) when asked
                warnings.warn(f"preset question not answered at start: {exc}", stacklevel=1)
                break


def preset_questions() -> tuple[Question, ...]:
    """The form's default question for each MS type (answered at start)."""
    return tuple(Question.model_validate({"situation": {"ms_type": t}}) for t in ("rrms", "ppms", "spms"))
