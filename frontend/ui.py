"""The Gradio page and the ``chat`` API endpoint.

Annotations stay real objects here (no postponed evaluation): Gradio reads the
endpoint's type hints on every call, and string hints would be evaluated each time.
"""

import time
from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from frontend.backend import Starting
from frontend.chat import ChatService
from frontend.errors import SLOW_NOTICE, about, starting_notice

# The lean API app's name of the whole-answer ``chat`` that ``/gradio_api/run/chat`` is routed to.
WHOLE_ANSWER = "chat_whole"


def chat_endpoint(service: ChatService) -> Any:
    """The scripted-client endpoint: every input but the message has a default."""
    s = service.settings

    async def chat(message: str, history: list[dict[str, Any]] | None = None, model: str = "",
                   max_tokens: int = s.default_max_tokens,
                   temperature: float = s.default_temperature) -> AsyncIterator[str]:
        """Stream the growing answer to ``message`` after ``history`` (Gradio message dicts)."""
        async for answer in service.respond(message, history or [], model, max_tokens, temperature):
            yield answer

    return chat


def whole_answer_endpoint(service: ChatService) -> Any:
    """``chat`` for Gradio's one-shot ``/run/chat``, which keeps only the first output of a stream."""
    s = service.settings

    async def chat(message: str, history: list[dict[str, Any]] | None = None, model: str = "",
                   max_tokens: int = s.default_max_tokens, temperature: float = s.default_temperature) -> str:
        """The whole answer to ``message`` after ``history``, once it is complete."""
        answer = ""
        async for grown in service.respond(message, history or [], model, max_tokens, temperature):
            answer = grown
        return answer

    return chat


RETRY_HINT = "This message was not answered. Send it again to retry."


def starting_note(service: ChatService, notice: Starting, waited_s: float) -> gr.ChatMessage:
    """The notice shown in the answer's place while no text has come: that the model is starting
    (once the model service said so) or only that it takes long, with the time waited so far."""
    title = starting_notice(service.settings.cold_start_s) if notice.cold else SLOW_NOTICE
    waiting_for = "the model's servers" if notice.cold else "the model"
    return gr.ChatMessage(role="assistant", content=f"Waiting for {waiting_for} ({about(waited_s)} so far).",
                          metadata={"title": f"⏳ {title}", "status": "pending"})


def page_handler(service: ChatService) -> Any:
    """The page's chat function: failures appear in the conversation as a marked note, and so does the
    notice that the model is starting (replaced by the answer when it comes; shown again with the time
    waited every ``chat.NOTICE_REPEAT_S``, which lets Gradio stop the chat of a closed page).

    Both notes carry Gradio ``metadata`` with a title, which history conversion
    leaves out, so a note is never sent to the model as an answer.
    """

    async def respond(message: Any, history: Any, model: Any, max_tokens: Any,
                      temperature: Any) -> AsyncIterator[Any]:
        answer = ""
        begin = time.monotonic()
        try:
            async for update in service.updates(message, history, model, max_tokens, temperature):
                if isinstance(update, Starting):
                    yield starting_note(service, update, time.monotonic() - begin)
                else:
                    answer = update
                    yield answer
        except gr.Error as e:
            note = gr.ChatMessage(role="assistant", content=RETRY_HINT,
                                  metadata={"title": f"⚠️ {e.message}", "status": "done"})
            yield [gr.ChatMessage(role="assistant", content=answer), note] if answer else [note]

    return respond


def build_ui(service: ChatService) -> gr.Blocks:
    s = service.settings
    with gr.Blocks(title=s.title, analytics_enabled=False, fill_height=True) as demo:
        model = gr.Dropdown(label="Model", choices=[], value=None, allow_custom_value=True,
                            elem_id="model-picker", render=False)
        max_tokens = gr.Slider(1, s.max_tokens_limit, value=s.default_max_tokens, step=1,
                               label="Max tokens", render=False)
        temperature = gr.Slider(0.0, 2.0, value=s.default_temperature, step=0.05,
                                label="Temperature", render=False)
        gr.ChatInterface(
            fn=page_handler(service), title=s.title, additional_inputs=[model, max_tokens, temperature],
            additional_inputs_accordion=gr.Accordion("Model and settings", open=True, render=False),
            chatbot=gr.Chatbot(elem_id="chat", height="60vh", label="Chat"),
            textbox=gr.Textbox(placeholder="Type a message and press Enter", elem_id="prompt",
                               show_label=False, submit_btn=True),
            api_name="chat_page", api_visibility="private", flagging_mode="never", analytics_enabled=False,
            fill_height=True,
        )
        gr.api(chat_endpoint(service), api_name="chat")

        async def refresh_models() -> Any:
            choices, default = await service.catalog.choices()
            return gr.Dropdown(choices=choices, value=default or None)

        demo.load(refresh_models, outputs=model, api_visibility="private", queue=False)
    return demo


def build_api(service: ChatService) -> gr.Blocks:
    """An app holding only the ``chat`` endpoint, for scripted clients."""
    with gr.Blocks(title=service.settings.title, analytics_enabled=False) as api:
        gr.api(chat_endpoint(service), api_name="chat")
        gr.api(whole_answer_endpoint(service), api_name=WHOLE_ANSWER, api_visibility="undocumented")
    return api
