"""Benchmark of the chat app against the simulator (development tool, not part of the image)."""
