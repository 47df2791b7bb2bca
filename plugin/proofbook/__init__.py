"""proofbook: a machine-checked formula handbook for MkDocs."""

__version__ = "0.1.0"
