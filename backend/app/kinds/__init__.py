"""One module per job kind: its options (one pydantic model), its summary and the files it writes.

A new option touches the kind's options model, the vision function that uses it, and one SPA control.
"""
