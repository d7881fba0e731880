"""The llm-d serving layer: model servers, InferencePools and their endpoint pickers, the internal gateway."""
