"""The registry's expression language: a whitelist parser from text to SymPy objects."""
