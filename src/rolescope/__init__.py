"""rolescope: career intelligence for AI and machine-learning engineering.

No I/O and no heavy imports happen here; build settings, stores and models where they are used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
