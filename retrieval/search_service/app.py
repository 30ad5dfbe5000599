"""The HTTP face of the local search service: the Azure AI Search REST routes the SDK calls.

    >>> app = create_app(IndexCatalog(Path(".ridgeline/search-service")), api_key="secret")
    >>> uvicorn.run(app, host="127.0.0.1", port=8100)

Every request needs an ``api-version`` query parameter and the admin key in the ``api-key``
header (401 without it, 403 with a wrong one). Errors use the service's JSON shape
``{"error": {"code": ..., "message": ...}}``. Indexes are addressed as ``/indexes('name')``
(what the SDK sends) or ``/indexes/name``.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException

from retrieval.search_service.batch import apply_actions, parse_actions
from retrieval.search_service.catalog import IndexCatalog
from retrieval.search_service.documents import to_json
from retrieval.search_service.errors import ServiceError, bad_request, not_found
from retrieval.search_service.index_definition import parse_definition
from retrieval.search_service.odata_sql import column, sql_string
from retrieval.search_service.search import run_search
from retrieval.search_service.search_request import parse_search_request

JsonBody = Annotated[Any, Body()]
_INDEX_FORMS = ("/indexes('{name}')", "/indexes/{name}")


def create_app(catalog: IndexCatalog, *, api_key: str) -> FastAPI:
    if not api_key:
        raise ValueError("the search service needs a non-empty api key")
    app = FastAPI(title="Ridgeline search service", dependencies=[Depends(_guard(api_key))])
    _add_error_handlers(app)
    app.add_api_route("/indexes", _list_indexes(catalog), methods=["GET"])
    app.add_api_route("/indexes", _create_index(catalog), methods=["POST"], status_code=201)
    routes: list[tuple[str, str, Callable[..., Any]]] = [
        ("", "PUT", _put_index(catalog)),
        ("", "GET", _get_index(catalog)),
        ("", "DELETE", _delete_index(catalog)),
        ("/docs/search.index", "POST", _index_documents(catalog)),
        ("/docs/search.post.search", "POST", _search(catalog)),
        ("/docs/$count", "GET", _count(catalog)),
        ("/docs('{key}')", "GET", _lookup(catalog)),
        ("/docs/{key}", "GET", _lookup(catalog)),
    ]
    for suffix, method, endpoint in routes:
        for form in _INDEX_FORMS:
            app.add_api_route(form + suffix, endpoint, methods=[method])
    return app


def _guard(api_key: str) -> Callable[[Request], None]:
    def guard(request: Request) -> None:
        given = request.headers.get("api-key")
        if not given:
            raise ServiceError(401, "Unauthorized", "Access denied: an api-key header is required.")
        if not hmac.compare_digest(given.encode(), api_key.encode()):
            raise ServiceError(403, "Forbidden", "Access denied: the api-key is not valid.")
        if not request.query_params.get("api-version"):
            raise bad_request("The api-version query parameter (?api-version=) is required.")

    return guard


def _add_error_handlers(app: FastAPI) -> None:
    def service_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ServiceError)
        return JSONResponse(exc.body(), status_code=exc.status)

    def invalid_body(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(bad_request(f"invalid request body: {exc}").body(), status_code=400)

    def http_error(request: Request, exc: Exception) -> JSONResponse:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        error = ServiceError(status, "NotFound" if status == 404 else "Error", str(exc))
        return JSONResponse(error.body(), status_code=status)

    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, invalid_body)
    app.add_exception_handler(HTTPException, http_error)


# -- indexes ----------------------------------------------------------------------------------


def _list_indexes(catalog: IndexCatalog) -> Callable[..., Any]:
    def list_indexes() -> dict[str, Any]:
        return {"value": [catalog.get(name).as_json() for name in catalog.names()]}

    return list_indexes


def _create_index(catalog: IndexCatalog) -> Callable[..., Any]:
    def create_index(body: JsonBody) -> dict[str, Any]:
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str):
            raise bad_request("the index definition needs a name")
        definition = parse_definition(body, name=name)
        catalog.create(definition)
        return definition.as_json()

    return create_index


def _put_index(catalog: IndexCatalog) -> Callable[..., Any]:
    def put_index(name: str, body: JsonBody) -> JSONResponse:
        definition = parse_definition(body, name=name)
        created = catalog.put(definition)
        return JSONResponse(definition.as_json(), status_code=201 if created else 200)

    return put_index


def _get_index(catalog: IndexCatalog) -> Callable[..., Any]:
    def get_index(name: str) -> dict[str, Any]:
        return catalog.get(name).as_json()

    return get_index


def _delete_index(catalog: IndexCatalog) -> Callable[..., Any]:
    def delete_index(name: str) -> Response:
        catalog.delete(name)
        return Response(status_code=204)

    return delete_index


# -- documents --------------------------------------------------------------------------------


def _index_documents(catalog: IndexCatalog) -> Callable[..., Any]:
    def index_documents(name: str, body: JsonBody) -> JSONResponse:
        with catalog.lock:
            definition, table = catalog.open(name)
            results = apply_actions(table, definition, parse_actions(body, definition))
        status = 200 if all(r["status"] for r in results) else 207
        return JSONResponse({"value": results}, status_code=status)

    return index_documents


def _search(catalog: IndexCatalog) -> Callable[..., Any]:
    def search(name: str, body: JsonBody) -> dict[str, Any]:
        definition, table = catalog.open(name)
        return run_search(table, definition, parse_search_request(body))

    return search


def _count(catalog: IndexCatalog) -> Callable[..., Any]:
    def count(name: str) -> PlainTextResponse:
        _, table = catalog.open(name)
        return PlainTextResponse(str(table.count_rows()))

    return count


def _lookup(catalog: IndexCatalog) -> Callable[..., Any]:
    def lookup(request: Request, name: str, key: str) -> dict[str, Any]:
        definition, table = catalog.open(name)
        key_name = definition.key_field.name
        rows = table.search().where(f"{column(key_name)} = {sql_string(key)}").limit(1).to_list()
        if not rows:
            raise not_found(f"The document with key '{key}'")
        selected = request.query_params.get("$select")
        fields = definition.retrievable_fields()
        if selected and selected.strip() != "*":
            fields = [f.strip() for f in selected.split(",") if f.strip() in fields]
        return to_json(rows[0], fields)

    return lookup
