"""Front ends over proofbook's core: each translates its host's configuration into the core's
settings and calls the core, and only these modules may import a host (MkDocs, Markdown).

* ``adapters.mkdocs``: the MkDocs plugin (``plugins: - proofbook``) and its options;
* ``adapters.cli``: the ``proofbook`` command;
* ``adapters.markdown``: the Python-Markdown extension, for hosts that run no MkDocs plugin.
"""
