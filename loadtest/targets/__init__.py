"""The systems a load test can drive: an OpenAI-compatible endpoint or the Gradio chat app."""

from loadtest.targets.base import Message, RequestFailed, Target, classify_exception
from loadtest.targets.gradio import GradioTarget
from loadtest.targets.openai import OpenAITarget

__all__ = ["GradioTarget", "Message", "OpenAITarget", "RequestFailed", "Target", "classify_exception"]
