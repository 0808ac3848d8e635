"""The terminal interface: the only part of massabalans that imports Textual."""

from .app import MassabalansApp, run_app

__all__ = ["MassabalansApp", "run_app"]
