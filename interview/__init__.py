"""massabalans: an interview that builds an SME's mass balance and advice report."""

__version__ = "0.1.0"
