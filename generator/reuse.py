"""What ``perfsite serve`` keeps from one rebuild to the next: each thing made, with what it was made from.

A thing is made again only when what it is made from differs from last time. Steps that reuse the
very objects they were given when nothing changed let the next steps compare by identity, which
is what keeps a rebuild after a small edit small.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, TypeVar

Made = TypeVar("Made")


def kept(memory: dict | None, key: Hashable, basis: Any, make: Callable[[], Made]) -> Made:
    """``make()``; with ``memory``, what it made last time for ``key`` when ``basis`` equals last time's."""
    if memory is None:
        return make()
    last = memory.get(key)
    if last is not None and last[0] == basis:
        return last[1]
    made = make()
    memory[key] = (basis, made)
    return made
