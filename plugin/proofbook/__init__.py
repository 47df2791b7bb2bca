"""proofbook: a machine-checked formula handbook.

The core (``registry``, ``language``, ``verify``, ``check``, ``settings``, ``render``,
``export``) takes paths and settings and returns verdicts and pages; it never imports MkDocs.
The front ends live in ``adapters``: the MkDocs plugin and the ``proofbook`` command.
"""

__version__ = "0.1.0"
