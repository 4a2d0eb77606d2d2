"""Interoperability with outside resume formats.

Pure functions only: no I/O, no events. The profile routes call them to turn a
profile read-model document into another format (export) and an outside
document into validated profile items plus ``custom_fields`` (import).

``json_resume``: the JSON Resume schema v1 (jsonresume.org).
"""
