"""The one error type of the local search service, rendered in the service's error JSON shape."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error with the HTTP status and the ``{"error": {"code", "message"}}`` body to send."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def not_found(what: str) -> ServiceError:
    return ServiceError(404, "ResourceNotFound", f"{what} was not found.")


def bad_request(message: str) -> ServiceError:
    return ServiceError(400, "InvalidRequestParameter", message)


def not_supported(feature: str) -> ServiceError:
    return ServiceError(
        400, "FeatureNotSupported", f"{feature} is not supported by the local search service."
    )
