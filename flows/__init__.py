"""Prefect flows: they only sequence the stages in `compare.stages`."""
