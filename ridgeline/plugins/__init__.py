"""Extension points: one registry per role, filled through ``ridgeline.plugins`` entry points.

See :mod:`ridgeline.plugins.registry` and the README section "Plugins".
"""

from ridgeline.plugins.registry import (
    ENTRY_POINT_GROUP,
    ExtensionRole,
    IndexBackendFactory,
    NamedRole,
    PluginRegistry,
    load_plugins,
    plugin_registry,
    reset_plugin_registry,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "ExtensionRole",
    "IndexBackendFactory",
    "NamedRole",
    "PluginRegistry",
    "load_plugins",
    "plugin_registry",
    "reset_plugin_registry",
]
