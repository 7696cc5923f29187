"""Labelled audio sources (rendered, folder per genre, CSV manifest, FMA) and a feature cache."""

from __future__ import annotations

from genrelens.datasets.cache import FeatureCache, file_digest
from genrelens.datasets.labels import LabelResolver, load_label_mapping, normalise_label
from genrelens.datasets.sources import (
    AUDIO_EXTENSIONS,
    LabeledDataset,
    LabeledTrack,
    assign_splits,
    csv_dataset,
    fma_dataset,
    folder_dataset,
    load_dataset,
)

__all__ = [
    "AUDIO_EXTENSIONS",
    "FeatureCache",
    "LabelResolver",
    "LabeledDataset",
    "LabeledTrack",
    "assign_splits",
    "csv_dataset",
    "file_digest",
    "fma_dataset",
    "folder_dataset",
    "load_dataset",
    "load_label_mapping",
    "normalise_label",
]
