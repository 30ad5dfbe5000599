"""Settings of the chat HTTP app (security, limits, what the web page offers), in one frozen
record built from :class:`ridgeline.settings.Settings` by the wiring.

Usage::

    config = AppConfig(api_key="s3cret", cors_origins=("https://intranet.example",))
    app = create_app(service, config=config)
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from chat.limits import RequestLimits

# Headers and paths that skip the API key: the health probe and the static page (no data).
PUBLIC_PATHS = ("/health", "/", "/favicon.ico")
PUBLIC_PREFIXES = ("/static/",)
USER_HEADER = "X-Ridgeline-User"
DEFAULT_USER = "anonymous"
UPLOAD_SUFFIXES = (".pdf", ".txt", ".md", ".html", ".htm", ".csv", ".json", ".png", ".jpg", ".jpeg")


class AppConfig(BaseModel):
    """What the HTTP layer enforces and advertises; the chat logic lives in ChatService."""

    model_config = ConfigDict(frozen=True)

    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_request_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    limits: RequestLimits = Field(default_factory=RequestLimits)
    # Uploads without an API key: off unless the operator opts in (docs/security.md).
    allow_anonymous_uploads: bool = False
    upload_suffixes: tuple[str, ...] = UPLOAD_SUFFIXES
    model_name: str = "ridgeline"
    vision: bool = False
    image_search: bool = True
    # A built static frontend served at "/" instead of the built-in page (None: the page).
    frontend_dir: Path | None = None

    @property
    def uploads_open(self) -> bool:
        """Whether uploads are accepted: with an API key, or when anonymous ones are allowed."""
        return bool(self.api_key) or self.allow_anonymous_uploads
