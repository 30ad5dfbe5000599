"""The chat HTTP protocol: request and response bodies of ``POST /chat``.

The shapes follow the Azure "chat with your data" sample so its web frontend and evaluator work
against Ridgeline unchanged::

    request  = ChatRequest.model_validate({"messages": [{"role": "user", "content": "Hi?"}]})
    response = ChatResponse(output_text="...", context=ResponseContext(data_points=DataPoints()))
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ridgeline.settings import RetrievalMode
from ridgeline.types import AttributeRange, ChatMessage

Role = Literal["user", "assistant", "system"]
# A UTF-16 surrogate alone ("\ud800" in JSON) is not a character: it cannot be written as
# UTF-8, so a body holding one is refused before anything tries to.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_at(value: Any, where: str = "body") -> str | None:
    """Where in a decoded JSON value a string (or key) holds a lone surrogate, or None."""
    pending: list[tuple[str, Any]] = [(where, value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    return path
                pending.append((f"{path}.{key}", child))
        elif isinstance(item, list | tuple):
            pending.extend((f"{path}.{index}", child) for index, child in enumerate(item))
    return None


def refuse_lone_surrogates(data: Any) -> Any:
    """A ``mode="before"`` validator body: the raw input, or a ValueError naming the place."""
    place = lone_surrogate_at(data)
    if place is not None:
        raise ValueError(
            f"{place} holds a lone UTF-16 surrogate (such as \\ud800): text must be valid Unicode"
        )
    return data


def check_last_message(messages: list[RequestMessage]) -> None:
    """The conversation must end with a user message that has text or an image."""
    last = messages[-1]
    if last.role != "user":
        raise ValueError(f"the last message must come from the user, not from {last.role!r}")
    if not last.text.strip() and not last.image_urls:
        raise ValueError("the last user message has no text and no image")


class TextPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["text"]
    text: str


class ImageUrl(BaseModel):
    url: str
    detail: str | None = None


class ImagePart(BaseModel):
    """An image sent with a message (a URL or a ``data:`` URI): shown to vision models and, when
    it is a ``data:`` URI, used as an image query for retrieval."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["image_url"]
    image_url: ImageUrl


ContentPart = Annotated[TextPart | ImagePart, Field(discriminator="type")]


class RequestMessage(BaseModel):
    """One turn of the conversation; content is a string or a list of text and image parts."""

    role: Role
    content: str | list[ContentPart]

    @property
    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content if isinstance(part, TextPart))

    @property
    def image_urls(self) -> list[str]:
        if isinstance(self.content, str):
            return []
        return [part.image_url.url for part in self.content if isinstance(part, ImagePart)]

    def to_chat_message(self) -> ChatMessage:
        return ChatMessage(role=self.role, content=self.text, images=tuple(self.image_urls))


class Overrides(BaseModel):
    """Per-request settings; unknown keys (the sample frontend sends many) are ignored."""

    model_config = ConfigDict(extra="ignore")

    retrieval_mode: RetrievalMode | None = None
    top: int | None = Field(default=None, ge=1, le=50)
    minimum_search_score: float | None = Field(default=None, ge=0.0)
    include_category: str | None = None
    exclude_category: str | None = None
    # Typed attribute filters (ridgeline.attribute_fields), applied inside the index query like
    # the category filters; never relaxed when they leave no result.
    attribute_ranges: list[AttributeRange] = Field(default_factory=list, max_length=20)
    material: str | None = None
    colour: str | None = None
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    seed: int | None = None
    # Replaces the grounding rules sent to LLMs; ">>>" at its start appends to them instead,
    # as in the reference sample. The sources stay delimited either way.
    prompt_template: str | None = Field(default=None, max_length=8000)
    suggest_followup_questions: bool = False
    search_text_embeddings: bool = True
    search_image_embeddings: bool = True
    send_text_sources: bool = True
    send_image_sources: bool = True

    @field_validator("include_category", "exclude_category", "material", "colour", mode="after")
    @classmethod
    def _blank_means_none(cls, value: str | None) -> str | None:
        # The sample frontend sends "" for "all categories".
        return value if value and value.strip() else None


class RequestContext(BaseModel):
    model_config = ConfigDict(extra="ignore")

    overrides: Overrides = Field(default_factory=Overrides)


class ChatRequest(BaseModel):
    """The body of ``POST /chat``."""

    messages: list[RequestMessage] = Field(min_length=1)
    context: RequestContext = Field(default_factory=RequestContext)
    session_state: Any = None

    _valid_unicode = model_validator(mode="before")(refuse_lone_surrogates)

    @model_validator(mode="after")
    def _last_message_is_a_user_question(self) -> ChatRequest:
        check_last_message(self.messages)
        return self

    @property
    def overrides(self) -> Overrides:
        return self.context.overrides

    @property
    def question(self) -> str:
        return self.messages[-1].text.strip()

    @property
    def attached_images(self) -> list[str]:
        """The images attached to the last user message."""
        return self.messages[-1].image_urls

    def chat_messages(self) -> list[ChatMessage]:
        return [message.to_chat_message() for message in self.messages]

    def user_questions(self) -> list[str]:
        """The text of every user message of the conversation, the last one included."""
        return [m.text.strip() for m in self.messages if m.role == "user" and m.text.strip()]


class ThoughtStep(BaseModel):
    """One step of how the answer was made, shown in the frontend's "thought process" tab."""

    title: str
    description: Any = None
    props: dict[str, Any] = Field(default_factory=dict)


class DataPoints(BaseModel):
    text: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)


class ResponseContext(BaseModel):
    data_points: DataPoints
    thoughts: list[ThoughtStep] = Field(default_factory=list)
    followup_questions: list[str] = Field(default_factory=list)


class ChatResponse(BaseModel):
    """The body answered by ``POST /chat``."""

    output_text: str
    context: ResponseContext
    session_state: Any = None
