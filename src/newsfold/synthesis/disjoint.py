"""Groups joined pair by pair: copy families from copy links, one entity from its spellings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class DisjointSet(Generic[T]):
    """Union-find with path halving: joining and looking up cost next to nothing."""

    def __init__(self, items: Iterable[T]) -> None:
        self._parent: dict[T, T] = {item: item for item in items}

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def find(self, item: T) -> T:
        """The representative of ``item``'s group."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, item: T, other: T) -> None:
        """Join the groups of ``item`` and ``other`` (``other``'s representative stays)."""
        self._parent[self.find(item)] = self.find(other)

    def groups(self) -> list[list[T]]:
        """Every group, members in the order the items were given."""
        found: dict[T, list[T]] = defaultdict(list)
        for item in self._parent:
            found[self.find(item)].append(item)
        return list(found.values())
