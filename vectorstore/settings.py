"""TEMPORARY shim: Settings moved to config.py. Remove once nothing imports vectorstore.settings."""
from config import Settings

__all__ = ["Settings"]
