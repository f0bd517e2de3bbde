"""Emitters: one module per output file, each turning the model into that file's exact bytes."""
