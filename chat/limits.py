"""What one chat request may cost: text per message and per request, and attached images
(format and pixels, read from their headers). Checked before any search or answer starts, so
a streamed answer is refused with a 4xx instead of a 200 followed by an error line.

Usage::

    limits = RequestLimits(max_message_chars=16_000, max_request_chars=64_000)
    limits.check(request.messages)   # raises RequestTooLargeError or InvalidImageError
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from chat.images import DEFAULT_MAX_IMAGE_PIXELS, check_image_bytes, decode_data_url
from chat.protocol import RequestMessage
from ridgeline.errors import RidgelineError


class RequestTooLargeError(RidgelineError):
    """The request's text is over a configured cap (HTTP 413)."""


class RequestLimits(BaseModel):
    """The caps of one chat request (settings ``RIDGELINE_MAX_MESSAGE_CHARS``,
    ``RIDGELINE_MAX_REQUEST_CHARS``, ``RIDGELINE_MAX_IMAGE_PIXELS``)."""

    model_config = ConfigDict(frozen=True)

    max_message_chars: int = Field(default=16_000, gt=0)
    max_request_chars: int = Field(default=64_000, gt=0)
    max_image_pixels: int = Field(default=DEFAULT_MAX_IMAGE_PIXELS, gt=0)

    def check(self, messages: Sequence[RequestMessage]) -> None:
        total = 0
        for number, message in enumerate(messages, start=1):
            size = len(message.text)
            if size > self.max_message_chars:
                raise RequestTooLargeError(
                    f"message {number} has {size:,} characters of text: the limit is "
                    f"{self.max_message_chars:,} per message (RIDGELINE_MAX_MESSAGE_CHARS)"
                )
            total += size
            self._check_images(message)
        if total > self.max_request_chars:
            raise RequestTooLargeError(
                f"the messages hold {total:,} characters of text: the limit is "
                f"{self.max_request_chars:,} per request (RIDGELINE_MAX_REQUEST_CHARS)"
            )

    def _check_images(self, message: RequestMessage) -> None:
        # Only data: URLs are read here; other URLs are passed to a vision model as they are.
        for url in message.image_urls:
            if url.strip().lower().startswith("data:"):
                _, data = decode_data_url(url)
                check_image_bytes(data, max_pixels=self.max_image_pixels)
