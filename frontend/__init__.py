"""The Gradio chat app in front of the llm-d inference gateway."""
