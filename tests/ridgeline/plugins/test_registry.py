"""The plugin registry: roles, clear errors, entry points (the built-in one first), scoping."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from ridgeline.errors import ConfigError
from ridgeline.plugins.registry import (
    ENTRY_POINT_GROUP,
    NamedRole,
    PluginRegistry,
    load_plugins,
    plugin_registry,
)
from ridgeline.settings import Settings
from tests.fakes import HashingEmbedder


def entry_point(name: str, value: str) -> metadata.EntryPoint:
    return metadata.EntryPoint(name, value, ENTRY_POINT_GROUP)


def test_every_role_has_its_built_ins():
    registry = load_plugins([entry_point("builtin", "ridgeline.plugins.builtin:register")])
    assert registry.plugins == ["builtin"]
    assert registry.index_backends.names() == ["azure", "lancedb"]
    assert registry.chat_models.names() == ["azure", "extractive", "openai"]
    assert registry.captioners.names() == ["azure", "offline", "openai"]
    assert registry.image_embedders.names() == [
        "azure",
        "clip",
        "efficientnet",
        "efficientnet+visual",
        "none",
        "visual",
    ]
    assert registry.ocr_engines.names() == ["rapidocr"]
    assert {".pdf", ".csv", ".jsonl", ".md", ".png", ".wav"} <= set(registry.parsers.extensions())


def test_the_installed_metadata_declares_the_built_in_entry_point():
    declared = metadata.entry_points(group=ENTRY_POINT_GROUP)
    assert "ridgeline.plugins.builtin:register" in {ep.value for ep in declared}


def test_the_built_in_plugin_runs_first_even_when_listed_last():
    order: list[str] = []
    registry = load_plugins(
        [
            entry_point("zz", f"{__name__}:_record_order"),
            entry_point("builtin", f"{__name__}:_builtin_marker"),
        ]
    )
    order.extend(registry.plugins)
    assert order == ["builtin", "zz"]


def _builtin_marker(registry: PluginRegistry) -> None:
    registry.chat_models.register("marker", lambda settings: None)  # type: ignore[arg-type,return-value]


def _record_order(registry: PluginRegistry) -> None:
    # The built-ins are there already, so a plugin may replace one of them.
    assert "marker" in registry.chat_models


def test_a_plugin_that_cannot_be_imported_is_named():
    with pytest.raises(ConfigError, match=r"plugin 'broken' \(no_such_module:register\) cannot be"):
        load_plugins(
            [
                entry_point("builtin", f"{__name__}:_builtin_marker"),
                entry_point("broken", "no_such_module:register"),
            ]
        )


def test_a_plugin_that_fails_while_registering_is_named():
    with pytest.raises(ConfigError, match="plugin 'twice' failed to register"):
        load_plugins(
            [
                entry_point("builtin", f"{__name__}:_builtin_marker"),
                entry_point("twice", f"{__name__}:_builtin_marker"),
            ]
        )


def test_a_name_registers_once_unless_replaced():
    role: NamedRole[object] = NamedRole("chat model", "chat_model")
    role.register("fake", object)
    with pytest.raises(ConfigError, match="chat model 'fake' is already registered"):
        role.register("fake", object)
    role.register("fake", dict, replace=True)
    assert role.factory("fake") is dict


def test_an_unknown_name_lists_the_registered_ones():
    with pytest.raises(
        ConfigError,
        match=r"RIDGELINE_INDEX_BACKEND: unknown index backend "
        r"'qdrant'; choose one of: azure, lancedb",
    ):
        plugin_registry().index_backends.factory("qdrant")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("index_backend", "unknown index backend 'solr'; choose one of: azure, lancedb"),
        ("chat_model", "unknown chat model 'solr'; choose one of: azure, extractive, openai"),
        ("captioner", "unknown captioner 'solr'; choose one of: azure, offline, openai"),
        (
            "image_embedder",
            r"unknown image embedder 'solr'; choose one of: azure, clip, efficientnet, "
            r"efficientnet\+visual, none, visual",
        ),
        ("ocr_engine", "unknown OCR engine 'solr'; choose one of: rapidocr"),
    ],
)
def test_settings_accept_only_registered_names(field: str, message: str):
    with pytest.raises(ValueError, match=message):
        Settings.model_validate({field: "solr"})


def test_scoped_registrations_vanish_afterwards():
    with plugin_registry().scoped() as registry:
        registry.text_embedders.register("tmp", lambda settings: HashingEmbedder())
        assert Settings(text_embedder="tmp").text_embedder == "tmp"
    assert "tmp" not in plugin_registry().text_embedders
    with pytest.raises(ValueError, match="unknown text embedder 'tmp'"):
        Settings(text_embedder="tmp")


def test_extensions_are_normalised_and_a_later_parser_wins(tmp_path: Path):
    registry = PluginRegistry()
    registry.parsers.register(["LOG"], lambda context: "first")  # type: ignore[arg-type,return-value]
    registry.parsers.register([".log"], lambda context: "second")  # type: ignore[arg-type,return-value]
    assert [(ext, factory(None)) for ext, factory in registry.parsers.items()] == [
        (".log", "second")
    ]
    with pytest.raises(ValueError, match="must not be empty"):
        registry.parsers.register(["."], lambda context: None)  # type: ignore[arg-type,return-value]


def test_stale_metadata_without_the_built_in_entry_point_still_gets_the_built_ins():
    registry = load_plugins([])  # e.g. a checkout on PYTHONPATH over an older install
    assert registry.plugins == ["builtin"]
    assert "lancedb" in registry.index_backends and ".pdf" in registry.parsers.extensions()
