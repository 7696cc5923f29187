"""Map a data set's own labels onto the taxonomy, through a user's mapping file, or reject them."""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from genrelens.errors import DatasetError, UnknownLabelError

__all__ = [
    "SKIP_VALUES",
    "LabelResolver",
    "normalise_label",
    "load_label_mapping",
]

#: Mapping values that mean "leave tracks with this label out" (e.g. FMA's "Rock").
SKIP_VALUES = frozenset({"", "-", "skip", "none", "null"})
#: Unknown labels listed in one error message before "and N more".
MAX_LISTED = 12


def normalise_label(label: str) -> str:
    """Case-, space- and punctuation-insensitive form: ``"Tech House"`` -> ``"tech-house"``.

    ``&`` becomes ``and`` so ``"Drum & Bass"`` meets the slug ``drum-and-bass``.
    """
    text = label.strip().lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def load_label_mapping(path: str | os.PathLike[str]) -> dict[str, str | None]:
    """Read a mapping file: YAML ``{their label: genre-slug}`` or CSV ``label,genre``.

    A value in :data:`SKIP_VALUES` (or YAML null) drops tracks with that label.

    Parameters
    ----------
    path : path-like
        ``.yaml``/``.yml`` or ``.csv``.

    Returns
    -------
    dict
        Normalised source label -> target (None for skip).

    Raises
    ------
    DatasetError
        Missing file, unreadable content, or a label mapped twice to different targets.
    """
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"label mapping file not found: {p}", extra={"path": str(p)})
    pairs: list[tuple[str, str | None]] = []
    try:
        if p.suffix.lower() in {".yaml", ".yml"}:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise DatasetError(f"{p.name}: a YAML mapping file must be a dict of label: genre")
            pairs = [(str(k), None if v is None else str(v)) for k, v in data.items()]
        elif p.suffix.lower() == ".csv":
            with p.open(newline="", encoding="utf-8") as fh:
                rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)]
            if rows and [c.strip().lower() for c in rows[0][:2]] == ["label", "genre"]:
                rows = rows[1:]
            for i, row in enumerate(rows, start=1):
                if len(row) < 2:
                    raise DatasetError(f"{p.name}: row {i} needs two columns (label, genre)")
                pairs.append((row[0], row[1]))
        else:
            raise DatasetError(f"{p.name}: label mapping must be .yaml, .yml or .csv")
    except (yaml.YAMLError, UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"{p.name}: cannot parse label mapping ({type(exc).__name__})") from exc
    mapping: dict[str, str | None] = {}
    for raw, target in pairs:
        key = normalise_label(raw)
        value = None if target is None or target.strip().lower() in SKIP_VALUES else target.strip()
        if key in mapping and mapping[key] != value:
            raise DatasetError(f"{p.name}: label {raw!r} is mapped to both {mapping[key]!r} and {value!r}")
        mapping[key] = value
    return mapping


@dataclass
class LabelResolver:
    """Turns raw labels into model labels.

    Parameters
    ----------
    known : collection of str or None
        The allowed labels (taxonomy slugs of modelled genres). None accepts any label as the
        user's own genre name (fine-tuning on one's own crates), keeping it as written.
    mapping : mapping
        From :func:`load_label_mapping`; consulted first.
    aliases : mapping
        Extra names of known labels (taxonomy aliases), consulted after the mapping.

    Examples
    --------
    >>> r = LabelResolver(known={"tech-house"}, mapping={}, aliases={})
    >>> r.resolve("Tech House")
    'tech-house'
    """

    known: Collection[str] | None
    mapping: Mapping[str, str | None] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._known_norm = None if self.known is None else {normalise_label(k): k for k in self.known}
        self._aliases = {normalise_label(a): s for a, s in self.aliases.items()}
        if self._known_norm is not None:
            bad = sorted(
                {
                    str(v)
                    for v in self.mapping.values()
                    if v is not None and normalise_label(v) not in self._known_norm
                }
            )
            if bad:
                raise UnknownLabelError(
                    f"the label mapping points to genres that are not modelled: {', '.join(bad)}",
                    extra={"labels": bad},
                )

    def resolve(self, raw: str) -> str | None:
        """The model label of ``raw``; None when the mapping says to skip it.

        Raises
        ------
        UnknownLabelError
            ``raw`` is neither known, aliased nor mapped.
        """
        key = normalise_label(raw)
        if key in self.mapping:
            target = self.mapping[key]
            if target is None:
                return None
            return target if self._known_norm is None else self._known_norm[normalise_label(target)]
        if self._known_norm is None:
            return raw.strip()
        if key in self._known_norm:
            return self._known_norm[key]
        if key in self._aliases:
            return self._aliases[key]
        raise UnknownLabelError(
            f"label {raw!r} is not a modelled genre; map it in a label mapping file",
            extra={"labels": [raw]},
        )

    def resolve_all(self, raws: Iterable[str], *, source: str) -> list[str | None]:
        """Resolve every label, reporting all unknown labels at once (with counts).

        Raises
        ------
        UnknownLabelError
            Listing each unknown label and how many tracks carry it.
        """
        values = list(raws)
        unknown: Counter[str] = Counter()
        out: list[str | None] = []
        for raw in values:
            try:
                out.append(self.resolve(raw))
            except UnknownLabelError:
                unknown[raw] += 1
                out.append(None)
        if unknown:
            listed = ", ".join(f"{lab!r} ({n})" for lab, n in unknown.most_common(MAX_LISTED))
            more = len(unknown) - MAX_LISTED
            raise UnknownLabelError(
                f"{source}: {len(unknown)} label(s) are not modelled genres: {listed}"
                + (f" and {more} more" if more > 0 else "")
                + ". Map them with --label-map FILE (YAML 'their label: genre-slug', or null to "
                "skip), or keep your own genre names with --own-labels.",
                extra={"labels": sorted(unknown)},
            )
        return out
