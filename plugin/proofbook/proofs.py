"""The citation graph of proofs: unknown citations, circular proofs, and "used by" backlinks.

Pure graph work on the model, no SymPy: it runs on every build, cached or not.
"""

from __future__ import annotations

from .errors import ProofbookError
from .model import Entry, Registry


def proof_errors(registry: Registry) -> list[ProofbookError]:
    """Every cycle of proofs that rely on themselves (the loader already refused unknown ids)."""
    return _cycle_errors(registry, registry.by_id())


def _cycle_errors(registry: Registry, entries: dict[str, Entry]) -> list[ProofbookError]:
    """Depth-first search; each cycle is reported once, at its first entry in registry order.

    Iterative, with an explicit stack: a registry decides how deep proofs cite each other, and
    a chain of 1,500 citing proofs must not exhaust Python's recursion limit."""
    state: dict[str, str] = {}
    errors: list[ProofbookError] = []
    reported: set[frozenset[str]] = set()
    for entry in registry.entries:
        if entry.id in state:
            continue
        path = [entry.id]  # the open nodes, root first; path[k] is being explored by stack[k]
        stack = [iter(entry.cited)]
        state[entry.id] = "open"
        while stack:
            ref = next(stack[-1], None)
            if ref is None:
                state[path.pop()] = "done"
                stack.pop()
            elif ref not in entries:
                continue
            elif state.get(ref) == "open":
                cycle = path[path.index(ref):] + [ref]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    first = entries[cycle[0]]
                    errors.append(ProofbookError(
                        "circular proof: " + " → ".join(cycle) + ".", first.location, first.id,
                        "A proof may not rely, directly or through other proofs, on the entry it proves."))
            elif ref not in state:
                state[ref] = "open"
                path.append(ref)
                stack.append(iter(entries[ref].cited))
    return errors


def used_by(registry: Registry) -> dict[str, list[str]]:
    """For each id, the entries whose proofs cite it (registry order)."""
    backlinks: dict[str, list[str]] = {e.id: [] for e in registry.entries}
    for entry in registry.entries:
        for ref in entry.cited:
            if ref in backlinks:
                backlinks[ref].append(entry.id)
    return backlinks


def dependency_edges(registry: Registry) -> list[tuple[str, str]]:
    """(cited, citing) pairs: an arrow from what a proof uses to the entry it proves."""
    return [(ref, entry.id) for entry in registry.entries for ref in entry.cited]
