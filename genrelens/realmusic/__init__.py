"""Measuring GenreLens on real, labelled recordings: clips, metrics, baselines and the report."""
