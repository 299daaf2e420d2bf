"""Ingest: turn a source into :class:`~newsfold.model.RawDocument` objects.

One module per input kind.  Adapters never raise on bad input: they yield
:class:`~newsfold.model.Skipped` with a reason, so the rest of a batch goes on.
"""

from newsfold.ingest.files import SUPPORTED_SUFFIXES, iter_input_files, read_path

__all__ = ["SUPPORTED_SUFFIXES", "iter_input_files", "read_path"]
