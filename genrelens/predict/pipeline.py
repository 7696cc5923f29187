"""``analyze_path``: the one pipeline the CLI, the Celery task and the tests call.

decode (isolated child, capped) -> chunked features (one STFT per chunk) -> optional genre model
on every window -> ``AnalysisResult``. Memory is bounded by the chunk size, not the track length.
The features of each chunk are worked on as soon as the decoder child has decoded it, and the
electronic gate runs on a second thread beside the last chunks, so one analysis uses two cores.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np

from genrelens.audio.constants import MAX_ANALYSIS_SECONDS
from genrelens.audio.decode import DecodedAudio, DecodingAudio, decode_stream
from genrelens.backbone.embed import PATCH_SECONDS
from genrelens.backbone.gate import ElectronicGate, electronic_gate
from genrelens.features.constants import FRAMES_PER_SECOND
from genrelens.features.downbeats import BEATS_PER_BAR, bar_grid
from genrelens.features.energy import Energy, energy_level
from genrelens.features.extract import TrackFeatures, WindowBatch, extract_stream
from genrelens.features.loudness import LoudnessSummary
from genrelens.features.rhythm import rhythm_pattern, tempo_alternatives
from genrelens.features.sections import Section, find_sections, first_drop
from genrelens.features.windows import FEATURE_NAMES
from genrelens.model.artifact import NetworkOutputs
from genrelens.predict.aggregate import SEGMENT_SECONDS
from genrelens.predict.embeddings import signal_embeddings
from genrelens.predict.infer import GenreModel
from genrelens.predict.report import GenreSections, default_genre_model, family_map, genre_sections
from genrelens.predict.unsure import no_model_confidence, with_structure_check
from genrelens.result import (
    AnalysisResult,
    GridInfo,
    KeyInfo,
    LoudnessInfo,
    RhythmInfo,
    SoundInfo,
    SourceInfo,
    TempoInfo,
    TimelineSegment,
)
from genrelens.taxonomy.loader import load_taxonomy
from genrelens.taxonomy.tempo import conventional_tempo, family_tempo_spans

__all__ = [
    "STAGES",
    "LOW_SIGNAL_LUFS",
    "GATE_PATCHES",
    "gate_excerpt",
    "measured_traits",
    "ProgressCallback",
    "analyze_path",
    "timeline_bounds",
]

#: Progress stages, in order, reported as ``progress(stage, fraction)``.
STAGES = ("decoding", "features", "model", "done")
#: Below this integrated loudness a track is flagged ``low_signal`` [LUFS].
LOW_SIGNAL_LUFS = -50.0
#: musicnn patches the electronic-music gate samples, spread evenly over the track.
GATE_PATCHES = 8
#: Most timeline segments: tracks over ``60 * SEGMENT_SECONDS`` get longer segments.
_MAX_SEGMENTS = 60

ProgressCallback = Callable[[str, float], None]


def timeline_bounds(duration_s: float) -> np.ndarray:
    """Segment edges [seconds] of the genre timeline: ``SEGMENT_SECONDS`` steps, at most 60 segments."""
    step = max(SEGMENT_SECONDS, duration_s / _MAX_SEGMENTS)
    edges = np.arange(0.0, duration_s, step)
    return np.append(edges, duration_s)


def _timeline(track: TrackFeatures) -> list[TimelineSegment]:
    edges = timeline_bounds(track.duration_s)
    tempo_column = track.vectors[:, FEATURE_NAMES.index("tempo_bpm")]
    segments = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (track.window_start_s >= lo) & (track.window_start_s < hi)
        tempos = tempo_column[inside & (tempo_column > 0)]
        bpm = round(float(np.median(tempos)), 2) if len(tempos) else None
        segments.append(TimelineSegment(round(float(lo), 2), round(float(hi), 2), None, {}, bpm))
    return segments


def gate_excerpt(decoded: DecodedAudio, *, patches: int = GATE_PATCHES) -> np.ndarray:
    """Up to ``patches`` musicnn-patch-long excerpts spread over the track, end to end.

    The gate needs a view of the whole track, not all of it: eight 3-second excerpts cost a
    fixed ~0.5 s whatever the length, where every patch of a two-hour mix would cost minutes.
    """
    length = int(np.ceil(PATCH_SECONDS * decoded.sr)) + 1
    count = max(1, min(patches, decoded.frames // length))
    starts = np.linspace(0, decoded.frames - length, count).astype(int) if count > 1 else [0]
    return np.concatenate([decoded.read(int(s), length) for s in starts])


def measured_traits(features: dict[str, float], rhythm: RhythmInfo,
                    key: KeyInfo | None) -> dict[str, float | str]:
    """The track's traits named like the taxonomy profiles, for the "why"."""
    names = ("tempo_bpm", "bass_weight", "spectral_centroid_hz", "onset_rate_hz",
             "spectral_flatness", "dynamic_range_db")
    traits: dict[str, float | str] = {n: features[n] for n in names if n in features}
    if not features.get("tempo_bpm"):
        traits.pop("tempo_bpm", None)
    traits["rhythm"] = rhythm.pattern
    if key is not None:
        traits["mode"] = key.mode
    return traits


class _WindowOutputs:
    """Collects the network's outputs chunk by chunk, so no log-mel outlives its chunk.

    A model with a musicnn embedding branch gets the embeddings of each chunk's windows,
    computed from the decoded audio under them, the same way as in training.
    """

    def __init__(self, model: GenreModel, read: Callable[[int, int], np.ndarray], sr: int) -> None:
        self.model = model
        self.read = read
        self.sr = sr
        self.parts: list[NetworkOutputs] = []

    def _embeddings(self, starts_s: np.ndarray) -> np.ndarray | None:
        if self.model.checkpoint.config.embedding_dim == 0 or len(starts_s) == 0:
            return None
        sr = self.sr
        first = int(round(float(starts_s[0]) * sr))
        end = int(round((float(starts_s[-1]) + self.model.features.window_s) * sr))
        audio = self.read(first, end - first)  # ends where the decoded audio does
        return signal_embeddings(audio, sr=sr, starts_s=starts_s - first / sr)["embedding"]

    def __call__(self, batch: WindowBatch) -> None:
        embedding = self._embeddings(batch.start_s)
        self.parts.append(self.model.outputs(batch.log_mel, batch.vectors, embedding))

    def merged(self) -> NetworkOutputs:
        return NetworkOutputs(np.concatenate([p.logits for p in self.parts]),
                              np.concatenate([p.fused for p in self.parts]))


def _genres(collected: _WindowOutputs, track: TrackFeatures, *, low_signal: bool,
            gate: ElectronicGate | None, measured: dict[str, float | str]) -> GenreSections:
    prediction = collected.model.predict_from_outputs(
        collected.merged(), track.vectors, track.window_start_s,
        family_of=family_map(load_taxonomy()), low_signal=low_signal,
        electronic_probability=None if gate is None else gate.probability,
        window_bpm=track.vectors[:, FEATURE_NAMES.index("tempo_bpm")],
    )
    return genre_sections(prediction, collected.model, measured)


def _in_family_convention(tempo: TempoInfo, sections: GenreSections | None) -> TempoInfo:
    """The tempo's half or double when that fits the top family's span and the families back it."""
    if sections is None or not sections.families or tempo.bpm is None:
        return tempo
    reading = conventional_tempo(tempo.bpm,
                                 families=[(f.slug, f.probability) for f in sections.families],
                                 spans=family_tempo_spans(load_taxonomy()))
    if reading.basis == "measured":
        return tempo
    return replace(tempo, bpm=round(reading.bpm, 2), alternatives=tempo_alternatives(reading.bpm),
                   basis=reading.basis)


def _gate_once_decoded(decoding: DecodingAudio) -> ElectronicGate | None:
    """The electronic gate on the whole track once it is decoded; None for a near-silent one."""
    decoded = decoding.result()
    if _low_signal(decoded.loudness):
        return None
    return electronic_gate(gate_excerpt(decoded), sr=decoded.sr)


def _low_signal(loudness: LoudnessSummary) -> bool:
    return loudness.integrated_lufs is None or loudness.integrated_lufs < LOW_SIGNAL_LUFS


def _track_sections(
    decoded: DecodedAudio, track: TrackFeatures
) -> tuple[TempoInfo, KeyInfo | None, RhythmInfo, dict[str, float]]:
    means = track.mean_features()
    beats = track.beats
    tempo = TempoInfo(
        bpm=round(beats.bpm, 2) if beats.bpm > 0 else None,
        confidence=round(beats.confidence, 3),
        alternatives=beats.alternatives,
        stable=track.tempo_stable,
        beats_analyzed=int(len(beats.times)),
    )
    key = track.key
    key_info = (KeyInfo(key.tonic, key.mode, key.name, key.camelot, round(key.confidence, 3))
                if key is not None else None)
    low_profile = np.array([means[f"low_subdivision_{i}"] for i in range(4)])
    pattern = rhythm_pattern(low_profile, beat_strength=beats.confidence,
                             low_on_beats=means["kick_on_beats"], kick_repeat=track.kick_repeat[0],
                             mid_repeat=track.kick_repeat[1])
    rhythm = RhythmInfo(pattern, round(means["onset_rate_hz"], 3), round(beats.confidence, 3))
    features = dict(means)
    features["tempo_bpm"] = tempo.bpm or 0.0
    if decoded.loudness.dynamic_range_db is not None:
        features["dynamic_range_db"] = decoded.loudness.dynamic_range_db
    return tempo, key_info, rhythm, features


def _structure(track: TrackFeatures) -> tuple[GridInfo | None, list[Section]]:
    """The bar grid and the sections, times rounded to the millisecond."""
    beats = track.beats
    period = 60.0 * FRAMES_PER_SECOND / beats.bpm if beats.bpm > 0 else 0.0
    grid = bar_grid(track.trace, beats.times, period)
    sections = [Section(round(s.start_s, 3), round(s.end_s, 3), s.label)
                for s in find_sections(track.trace, grid, track.duration_s)]
    if grid is None:
        return None, sections
    downbeats = [round(float(t), 3) for t in grid.downbeats_s]
    info = GridInfo(BEATS_PER_BAR, round(float(grid.beats_s[0]), 3), downbeats[0],
                    int(grid.bar_position[0]) + 1, downbeats, round(grid.confidence, 3))
    return info, sections


def _energy(tempo: TempoInfo, rhythm: RhythmInfo, sections: list[Section],
            integrated_lufs: float | None, duration_s: float) -> Energy:
    in_drops = sum(s.end_s - s.start_s for s in sections if s.label == "drop")
    drive = rhythm.pulse_clarity * in_drops / max(duration_s, 1e-9)
    return energy_level(integrated_lufs=integrated_lufs, bpm=tempo.bpm,
                        onset_rate_hz=rhythm.onset_rate_hz, drive=drive)


def _sound(gate: ElectronicGate | None) -> SoundInfo | None:
    """The gate's musicnn embeddings as the result keeps them (``SoundInfo``), 5 decimals."""
    if gate is None or not gate.summaries:
        return None
    models = sorted(gate.summaries)
    vector = np.concatenate([gate.summaries[m].penultimate for m in models])
    return SoundInfo(models=models, embedding=[round(float(x), 5) for x in vector])


def analyze_path(
    path: str | os.PathLike[str],
    *,
    model: GenreModel | None | Literal["default"] = "default",
    progress: ProgressCallback | None = None,
    max_seconds: float = MAX_ANALYSIS_SECONDS,
    on_gate: Callable[[ElectronicGate], None] | None = None,
) -> AnalysisResult:
    """Analyse one audio file: genres, tempo, key, loudness, rhythm, features and the timeline.

    Parameters
    ----------
    path : path-like
        Any file; errors are typed ``GenreLensError`` with a one-line message.
    model : GenreModel, None or "default"
        The genre model run on every window: the shipped one by default. Without a model the
        genre sections are empty and the result says it is unsure with reason ``no_model``.
    progress : callable, optional
        ``progress(stage, fraction)`` with stages from ``STAGES``.
    max_seconds : float
        Decoded audio is capped at this length; the result then has ``truncated=True``.
    on_gate : callable, optional
        Called with the electronic gate's full answer (its musicnn tags too) when it ran;
        the real-music evaluation keeps the tags without running musicnn twice.
    """
    genre_model = default_genre_model() if model == "default" else model
    report = progress or (lambda stage, fraction: None)
    started = time.perf_counter()
    report("decoding", 0.0)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="genrelens-gate") as beside, \
            decode_stream(path, max_seconds=max_seconds) as decoding:
        # Three things at once on two cores: the decoder child, the features of each chunk as
        # soon as it is decoded, and then the gate's musicnn runs (ONNX Runtime releases the
        # GIL) beside the features of the last chunks.
        pending_gate = beside.submit(_gate_once_decoded, decoding)
        collected = None if genre_model is None else _WindowOutputs(genre_model, decoding.read,
                                                                    decoding.sr)
        track = extract_stream(
            decoding.read, decoding.wait_for, sr=decoding.sr, consumer=collected,
            progress=lambda done: report("features", min(done / max(decoding.expected_samples, 1), 1.0)))
        decoded = decoding.result()
        features_at = time.perf_counter()
        low_signal = _low_signal(decoded.loudness)
        tempo, key, rhythm, features = _track_sections(decoded, track)
        grid, arrangement = _structure(track)
        report("model", 0.0)
        gate = pending_gate.result()
        if gate is not None and on_gate is not None:
            on_gate(gate)
        sections = None if collected is None else _genres(
            collected, track, low_signal=low_signal, gate=gate,
            measured=measured_traits(features, rhythm, key))
        model_at = time.perf_counter()
        tempo = _in_family_convention(tempo, sections)
    info = decoded.info
    result = AnalysisResult(
        source=SourceInfo(Path(path).name, info.format, info.sample_rate, info.channels,
                          info.declared_duration_s, round(decoded.duration_s, 3),
                          decoded.truncated),
        tempo=tempo,
        key=key,
        loudness=LoudnessInfo(decoded.loudness.integrated_lufs, decoded.loudness.peak_dbfs,
                              decoded.loudness.dynamic_range_db),
        rhythm=rhythm,
        grid=grid,
        energy=_energy(tempo, rhythm, arrangement, decoded.loudness.integrated_lufs,
                       track.duration_s),
        sections=arrangement,
        first_drop_s=first_drop(arrangement),
        features={name: round(value, 5) for name, value in features.items()},
        genres=sections.genres if sections else [],
        families=sections.families if sections else [],
        top=sections.top if sections else [],
        timeline=sections.timeline if sections else _timeline(track),
        confidence=with_structure_check(
            sections.confidence if sections else no_model_confidence(gate, low_signal=low_signal),
            tempo=tempo, key=key),
        model=sections.model if sections else None,
        low_signal=low_signal,
        sound=_sound(gate),
        timings={"decode_s": round((decoding.finished_at or features_at) - started, 3),
                 "features_s": round(features_at - started, 3),
                 "model_s": round(model_at - features_at, 3),
                 "total_s": round(time.perf_counter() - started, 3)},
    )
    report("done", 1.0)
    return result
