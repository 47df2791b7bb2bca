"""Registry files: YAML loading (``load``), schema validation, and the model they become;
``snapshot`` serves an unchanged registry from the cache without YAML or the schema."""
