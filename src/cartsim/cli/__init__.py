"""Command-line adapter (no logic lives here)."""
