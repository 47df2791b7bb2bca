"""Rendering: the handbook LaTeX printer, entry blocks, pages and cross-references."""
