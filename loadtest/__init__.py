"""Stress test and benchmark for the chat deployment: IAP + Gradio, or an OpenAI endpoint directly."""

__version__ = "0.1.0"
