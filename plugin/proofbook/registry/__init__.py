"""Registry files: YAML loading, schema validation, and the model they become."""

from .load import load_registry

__all__ = ["load_registry"]
