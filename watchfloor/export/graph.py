"""The actor network as GraphML or GEXF (Gephi, networkx, Cytoscape open both)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from watchfloor.workspace import Workspace


def actor_graph(ws: Workspace, since: str | None = None, until: str | None = None, actor: str | None = None) -> Any:
    """A multi-digraph: nodes are entities with their kind, edges one per (subject, predicate, object)."""
    graph = nx.MultiDiGraph(name="watchfloor actor network")
    for r in ws.relations(actor, None, since, until, 1, 1_000_000, 0):
        for side in ("subject", "object"):
            node = str(r[f"{side}_entity_id"])
            if node not in graph:
                graph.add_node(node, label=r[side], kind=r[f"{side}_kind"])
        graph.add_edge(
            str(r["subject_entity_id"]),
            str(r["object_entity_id"]),
            key=r["predicate"],
            predicate=r["predicate"],
            n_sources=int(r["n_sources"]),
            first_seen=r["first_seen"] or "",
            last_seen=r["last_seen"] or "",
            valid_from=r["valid_from"] or "",
            valid_to=r["valid_to"] or "",
            negated=bool(r["negated"]),
            hedged=bool(r["hedged"]),
            contradicted=bool(r["contradicted"]),
            evidence=" | ".join(f"{s['doc_id']}:{s['start']}-{s['end']}" for s in r["sources"]),
        )
    return graph


def write_graph(graph: Any, path: Path, fmt: str) -> None:
    """Write as ``graphml`` or ``gexf``."""
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    else:
        nx.write_gexf(graph, path)
