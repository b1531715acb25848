"""The project's own errors: what a user can act on. The CLI prints them as one line (exit 1; 2
for a question asked wrongly) and the API answers them with a 4xx; any other exception is a bug
and keeps its traceback."""

from __future__ import annotations


class CompareError(Exception):
    """Something the user can act on; the message says what."""


class InvalidInput(CompareError, ValueError):
    """A value outside what is allowed (a decision word, a status, a setting); the message names
    the valid ones."""
