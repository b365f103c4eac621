"""The version of Stageline: a leaf module any layer may import.

Kept equal to pyproject.toml's version by tests/test_startup.py; a constant, so that
`import stageline` reads no package metadata.
"""

__version__ = "0.1.0"
