"""Generated transcript models and sequence (see scripts/build_transcripts.py)."""
