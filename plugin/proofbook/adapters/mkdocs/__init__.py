"""The MkDocs plugin: the ``mkdocs.plugins`` entry point ``proofbook`` names this package."""

from .plugin import ProofbookPlugin

__all__ = ["ProofbookPlugin"]
