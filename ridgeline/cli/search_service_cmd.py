"""``ridgeline search-service``: serve the local Azure AI Search protocol subset over HTTPS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ridgeline.cli.render import make_console
from ridgeline.settings import Settings

DEFAULT_DIRECTORY = Path(".ridgeline/search-service")
DEFAULT_PORT = 8443


def search_service(
    index: Annotated[
        Path, typer.Option("--index", help="Folder of the service's indexes and certificate.")
    ] = DEFAULT_DIRECTORY,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = DEFAULT_PORT,
    api_key: Annotated[
        str | None,
        typer.Option(help="Admin key clients send (default: RIDGELINE_AZURE_SEARCH_API_KEY)."),
    ] = None,
    tls_cert: Annotated[Path | None, typer.Option(help="PEM certificate (default: made).")] = None,
    tls_key: Annotated[Path | None, typer.Option(help="PEM key for --tls-cert.")] = None,
) -> None:
    """Serve indexes through the Azure AI Search REST protocol subset Ridgeline uses."""
    import uvicorn

    from retrieval.search_service.app import create_app
    from retrieval.search_service.catalog import IndexCatalog
    from retrieval.search_service.tls import self_signed_certificate

    key = api_key or _key_from_settings()
    if (tls_cert is None) != (tls_key is None):
        raise typer.BadParameter("give both --tls-cert and --tls-key, or neither")
    if tls_cert is None or tls_key is None:
        tls_cert, tls_key = self_signed_certificate(index / "tls", hosts=(host, "localhost"))
    console = make_console(stderr=True)
    console.print(f"Azure AI Search protocol on https://{host}:{port} (indexes in {index})")
    console.print(f"Clients trust {tls_cert}: RIDGELINE_AZURE_SEARCH_CA_BUNDLE={tls_cert}")
    app = create_app(IndexCatalog(index / "data"), api_key=key)
    uvicorn.run(app, host=host, port=port, ssl_certfile=str(tls_cert), ssl_keyfile=str(tls_key))


def _key_from_settings() -> str:
    secret = Settings().azure_search_api_key
    if secret is None or not secret.get_secret_value():
        raise typer.BadParameter("give --api-key or set RIDGELINE_AZURE_SEARCH_API_KEY")
    return secret.get_secret_value()
