"""Blueprint files: the YAML format v1 (`yaml_format`), its problems (`errors`) and JSON Schema (`schema`)."""
