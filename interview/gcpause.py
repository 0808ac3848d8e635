"""Pausing Python's cyclic garbage collector around bulk work.

Reading a large data file builds hundreds of thousands of small objects (flow
models, decimals, dicts) that form no reference cycles. The collector is
triggered by allocations, and each of its passes over the older generations
walks the whole growing heap again, which for 100 000 flows costs more than
the work itself. Reference counting still frees everything as usual while the
collector is paused; only cycles wait until it runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; nested use is fine."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
