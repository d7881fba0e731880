"""One ComponentResource per file, one concern each."""
