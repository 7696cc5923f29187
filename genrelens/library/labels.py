"""Your labels on scanned tracks: crates read from folders, and what the labels say of a track.

The CLI's side of "teach it your crates" (``genrelens label``): labels are kept in the scan
index by content (``ScanIndex.labels``), and the personal layer (``teach.personal_answer``, the
the web page's too) compares tracks by ``result_vectors`` over every scanned result, as
``genrelens similar`` does. A confirmation of the shipped answer is a label like a correction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from genrelens.errors import InvalidParameterError
from genrelens.library.scan import ScanIndex, audio_files
from genrelens.library.teach import (
    MIN_GENRES,
    LayerEvaluation,
    evaluate,
    fit,
    personal_ranking,
    rank,
)
from genrelens.library.vectors import result_vectors
from genrelens.taxonomy import Taxonomy
from genrelens.taxonomy.lookup import find_genre

__all__ = ["CrateLabels", "crate_labels", "index_answers", "shipped_top"]


def shipped_top(result: Mapping[str, Any]) -> str | None:
    """The shipped model's top genre slug in an analysis result JSON (None without genres)."""
    genres = result.get("genres") or []
    return str(genres[0]["slug"]) if genres else None


def index_answers(results: Mapping[str, Mapping[str, Any]], labels: Mapping[str, str],
                  queries: Sequence[str]) -> tuple[LayerEvaluation,
                                                   dict[str, list[tuple[str, float]] | None]]:
    """What ``labels`` (content digest -> genre slug) say of each scanned result in ``queries``,
    and the layer's leave-one-out evaluation on them.

    The vectors are built once over every result. Labels of contents no longer in ``results``
    are ignored; a labelled query's own label is left out of its fit (``personal_ranking``).

    Raises
    ------
    InvalidParameterError
        A query is not among ``results``.
    """
    missing = [q for q in queries if q not in results]
    if missing:
        raise InvalidParameterError(f"no result {missing[0]!r} to rank")
    ids, vectors = result_vectors(results) if results else ([], np.zeros((0, 0)))
    row = {digest: i for i, digest in enumerate(ids)}
    labelled = sorted(digest for digest in labels if digest in row)
    matrix = vectors[[row[d] for d in labelled]] if labelled else np.zeros((0, 0))
    names = [labels[d] for d in labelled]
    evaluation = evaluate(matrix, names, [shipped_top(results[d]) for d in labelled])
    position = {digest: i for i, digest in enumerate(labelled)}
    whole = fit(matrix, names) if len(set(names)) >= MIN_GENRES else None
    rankings: dict[str, list[tuple[str, float]] | None] = {}
    for query in queries:
        if query in position:
            rankings[query] = personal_ranking(matrix, names, vectors[row[query]],
                                               own=position[query])
        else:  # the layer of every label, fitted once
            rankings[query] = rank(whole, vectors[row[query]]) if whole is not None else None
    return evaluation, rankings


@dataclass(frozen=True)
class CrateLabels:
    """What a folder of crates gives: content digest -> genre slug, and one line per problem."""

    labels: dict[str, str]
    paths: dict[str, Path]  #: content digest -> the crate file it came from
    problems: list[str]


def crate_labels(root: Path, *, index: ScanIndex, taxonomy: Taxonomy,
                 scanned: Sequence[str]) -> CrateLabels:
    """Labels from a folder per genre: ``root/<genre>/**`` files, the folder named by a genre's
    slug, name or alias (``find_genre``: "Deep House", ``deep-house``, "DnB").

    Only files in ``scanned`` (digests of the scan index's results) can be labelled: the layer
    compares their analyses. A folder that names no genre, a file never scanned and a file in
    two crates are problems, one line each; the rest is labelled.

    Raises
    ------
    InvalidParameterError
        ``root`` is not a directory.
    """
    if not root.is_dir():
        raise InvalidParameterError(f"{root}: not a directory")
    known = set(scanned)
    labels: dict[str, str] = {}
    paths: dict[str, Path] = {}
    problems: list[str] = []
    for crate in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            slug = find_genre(taxonomy, crate.name).slug
        except InvalidParameterError as error:
            problems.append(f"{crate}: {error.message} [{error.code}]")
            continue
        for path in audio_files([crate]):
            digest = index.content_digest(path)
            if digest is None or digest not in known:
                problems.append(f"{path}: not in the scan index; run `genrelens scan {root}` "
                                "first [not_scanned]")
            elif digest in labels and labels[digest] != slug:
                problems.append(f"{path}: also in the {labels[digest]} crate ({paths[digest]}); "
                                "kept there [two_crates]")
            else:
                labels[digest], paths[digest] = slug, path
    return CrateLabels(labels=labels, paths=paths, problems=problems)
