"""The stack's configuration: one typed model, read and validated once, before any resource."""

from config.errors import ConfigError, Problem
from config.load import load_settings, settings_from_pulumi
from config.settings import Settings

__all__ = ["ConfigError", "Problem", "Settings", "load_settings", "settings_from_pulumi"]
