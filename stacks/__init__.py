"""Typed data every stack is built from: accelerator profiles, known models, pinned versions."""
