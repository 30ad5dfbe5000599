"""One registry per role, filled by ``register(registry)`` callbacks found through entry points.

Every extension point of Ridgeline (parsers, text and image embedders, captioners, OCR engines,
index backends, chat models) is a *role*: a table from a name (or, for parsers, a file extension)
to a factory. The built-ins fill the tables through the same callback a third-party package uses:
an entry point in the ``ridgeline.plugins`` group naming a function ``register(registry)``::

    # pyproject.toml of a plugin package
    [project.entry-points."ridgeline.plugins"]
    mine = "my_package.ridgeline_plugin:register"

    # my_package/ridgeline_plugin.py
    def register(registry: PluginRegistry) -> None:
        registry.parsers.register([".rtf"], lambda context: RtfParser())
        registry.index_backends.register("qdrant", QdrantIndex.from_settings)

Settings are checked against the names registered here (``RIDGELINE_INDEX_BACKEND=qdrant`` is
valid once the plugin is installed). Tests register fakes with the same calls, inside
``registry.scoped()`` so that they vanish afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ridgeline.errors import ConfigError
from ridgeline.protocols import (
    Captioner,
    ChatModel,
    ImageEmbedder,
    OcrEngine,
    Parser,
    SearchIndex,
    TextEmbedder,
)

if TYPE_CHECKING:
    from ridgeline.settings import Settings

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ridgeline.plugins"
BUILTIN_PLUGIN = "builtin"
_BUILTIN_TARGET = "ridgeline.plugins.builtin:register"

F = TypeVar("F")

TextEmbedderFactory = Callable[["Settings"], TextEmbedder]
# None: the run makes no image vectors (the built-in "none").
ImageEmbedderFactory = Callable[["Settings"], ImageEmbedder | None]
CaptionerFactory = Callable[["Settings"], Captioner]
OcrEngineFactory = Callable[["Settings"], OcrEngine]
ChatModelFactory = Callable[["Settings"], ChatModel]
# Called with an ``ingestion.registry.ParserContext`` (the OCR engine, limits, assets folder);
# typed loosely here because the kernel does not depend on the ingestion package.
ParserFactory = Callable[[Any], Parser]


class IndexBackendFactory(Protocol):
    """Builds an index; ``dimension`` is the text embedder's declared vector width."""

    def __call__(self, settings: Settings, *, index_dir: Path, dimension: int) -> SearchIndex: ...


class NamedRole(Generic[F]):
    """The factories of one role, by name; ``setting`` is the Settings field that picks one."""

    def __init__(self, kind: str, setting: str) -> None:
        self.kind = kind
        self.setting = setting
        self._factories: dict[str, F] = {}

    def register(self, name: str, factory: F, *, replace: bool = False) -> None:
        """Add ``factory`` under ``name``; a second registration of a name needs ``replace``."""
        if not name or name != name.strip():
            raise ConfigError(f"a {self.kind} name must be a non-empty word, got {name!r}")
        if name in self._factories and not replace:
            raise ConfigError(f"{self.kind} {name!r} is already registered")
        self._factories[name] = factory

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def check(self, name: str) -> str:
        """``name`` if it is registered; else a ConfigError listing the registered names."""
        if name not in self._factories:
            known = ", ".join(self.names()) or "none registered"
            env = f"RIDGELINE_{self.setting.upper()}"
            raise ConfigError(f"{env}: unknown {self.kind} {name!r}; choose one of: {known}")
        return name

    def factory(self, name: str) -> F:
        return self._factories[self.check(name)]

    def _copy(self) -> dict[str, F]:
        return dict(self._factories)

    def _restore(self, saved: dict[str, F]) -> None:
        self._factories = saved


class ExtensionRole:
    """Parser factories by file extension (case-insensitive); a later registration wins."""

    kind = "parser"

    def __init__(self) -> None:
        self._factories: dict[str, ParserFactory] = {}

    def register(self, extensions: Iterable[str], factory: ParserFactory) -> None:
        for extension in extensions:
            self._factories[normalise_extension(extension)] = factory

    def extensions(self) -> list[str]:
        return sorted(self._factories)

    def items(self) -> list[tuple[str, ParserFactory]]:
        return sorted(self._factories.items())

    def _copy(self) -> dict[str, ParserFactory]:
        return dict(self._factories)

    def _restore(self, saved: dict[str, ParserFactory]) -> None:
        self._factories = saved


def normalise_extension(extension: str) -> str:
    """``"PDF"`` and ``".pdf"`` -> ``".pdf"``; an empty extension is a ValueError."""
    extension = extension.strip().lower()
    if not extension or extension == ".":
        raise ValueError("an extension must not be empty")
    return extension if extension.startswith(".") else f".{extension}"


@dataclass
class PluginRegistry:
    """Every role's table. ``load_plugins()`` fills one from the installed entry points."""

    parsers: ExtensionRole = field(default_factory=ExtensionRole)
    text_embedders: NamedRole[TextEmbedderFactory] = field(
        default_factory=lambda: NamedRole("text embedder", "text_embedder")
    )
    image_embedders: NamedRole[ImageEmbedderFactory] = field(
        default_factory=lambda: NamedRole("image embedder", "image_embedder")
    )
    captioners: NamedRole[CaptionerFactory] = field(
        default_factory=lambda: NamedRole("captioner", "captioner")
    )
    ocr_engines: NamedRole[OcrEngineFactory] = field(
        default_factory=lambda: NamedRole("OCR engine", "ocr_engine")
    )
    index_backends: NamedRole[IndexBackendFactory] = field(
        default_factory=lambda: NamedRole("index backend", "index_backend")
    )
    chat_models: NamedRole[ChatModelFactory] = field(
        default_factory=lambda: NamedRole("chat model", "chat_model")
    )
    plugins: list[str] = field(default_factory=list)  # the callbacks applied, in order

    def named_roles(self) -> list[NamedRole[Any]]:
        return [
            self.text_embedders,
            self.image_embedders,
            self.captioners,
            self.ocr_engines,
            self.index_backends,
            self.chat_models,
        ]

    def role_for_setting(self, setting: str) -> NamedRole[Any]:
        """The role whose component the Settings field ``setting`` names."""
        for role in self.named_roles():
            if role.setting == setting:
                return role
        raise KeyError(setting)

    def apply(self, name: str, callback: Callable[[PluginRegistry], None]) -> None:
        """Run one plugin's ``register(registry)``; a failing plugin is named in the error."""
        try:
            callback(self)
        except Exception as exc:
            raise ConfigError(f"the Ridgeline plugin {name!r} failed to register: {exc}") from exc
        self.plugins.append(name)

    @contextmanager
    def scoped(self) -> Iterator[PluginRegistry]:
        """Registrations made inside the block are undone when it ends (tests, benchmarks)."""
        roles: list[Any] = [self.parsers, *self.named_roles()]
        saved = [role._copy() for role in roles]
        plugins = list(self.plugins)
        try:
            yield self
        finally:
            for role, table in zip(roles, saved, strict=True):
                role._restore(table)
            self.plugins = plugins


def load_plugins(entry_points: Iterable[metadata.EntryPoint] | None = None) -> PluginRegistry:
    """A registry filled by every ``ridgeline.plugins`` entry point, the built-in one first."""
    found = list(entry_points if entry_points is not None else _group_entry_points())
    registry = PluginRegistry()
    builtin = [ep for ep in found if ep.name == BUILTIN_PLUGIN]
    if not builtin:
        # Ridgeline's own metadata predates the entry point (a checkout run from PYTHONPATH with
        # an older install): its callback is still the one that registers the built-ins.
        log.info("no %r entry point in %s: reinstall ridgeline", BUILTIN_PLUGIN, ENTRY_POINT_GROUP)
        builtin = [metadata.EntryPoint(BUILTIN_PLUGIN, _BUILTIN_TARGET, ENTRY_POINT_GROUP)]
    others = sorted((ep for ep in found if ep.name != BUILTIN_PLUGIN), key=lambda ep: ep.name)
    for entry_point in [builtin[0], *others]:
        registry.apply(entry_point.name, _load(entry_point))
    return registry


def _group_entry_points() -> list[metadata.EntryPoint]:
    # Several installs of one distribution (e.g. an editable one) list the same entry point.
    unique = {(ep.name, ep.value): ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    return list(unique.values())


def _load(entry_point: metadata.EntryPoint) -> Callable[[PluginRegistry], None]:
    try:
        callback = entry_point.load()
    except Exception as exc:
        raise ConfigError(
            f"the Ridgeline plugin {entry_point.name!r} ({entry_point.value}) cannot be "
            f"imported: {exc}"
        ) from exc
    if not callable(callback):
        raise ConfigError(f"the Ridgeline plugin {entry_point.value} is not a register function")
    return callback


_REGISTRY: PluginRegistry | None = None


def plugin_registry() -> PluginRegistry:
    """The process-wide registry, loaded from the entry points on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_plugins()
    return _REGISTRY


def reset_plugin_registry() -> None:
    """Forget the loaded registry: the next ``plugin_registry()`` reads the entry points again."""
    global _REGISTRY
    _REGISTRY = None
