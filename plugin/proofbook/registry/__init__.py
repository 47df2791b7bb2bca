"""Registry files: YAML loading, schema validation, and the model they become."""
