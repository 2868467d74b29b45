"""The console's web application (Starlette, server-rendered Jinja templates).

Every page but sign-in needs a signed-in user; the translation pages need an editor. Every
POST carries the session's CSRF token; request bodies are bounded. The pages are thin: Ask is
console/ask.py, the inbox console/inbox.py, replies console/replies.py, translation review
console/review.py.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable, List, Optional

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.launcher import WARM_UP_QUESTION
from console import ask, knowledge_view
from console.accounts import authenticate, user_by_id
from console.database import connect
from console.i18n import answer_language_name, texts
from console.inbox import STATUSES, HandoffInbox, TrackerStoreInbox
from console.replies import Outbox
from console.review import Decision, ReviewError, ReviewLog, patch
from console.sessions import LoginLimiter, SessionMiddleware, csrf_valid, new_session
from console.settings import Settings, load_settings, options
from console.staff_api import StaffApi, StaffApiError
from knowledge.passages import SOURCE_LANGUAGE, load_passages

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
Endpoint = Callable[..., Awaitable[Response]]


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, however they are sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await PlainTextResponse("Request too large", 413)(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, "Request too large")
            return message

        await self.app(scope, limited, send)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the pages
# ---------------------------------------------------------------------------------------------


def interface_language(request: Request) -> str:
    language = request.session.get("lang")
    languages = options()["interface_languages"]
    return language if language in languages else languages[0]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    language = interface_language(request)
    return templates.TemplateResponse(request, template, {
        "t": texts(language), "ui_language": language, "user": request.state.user,
        "csrf": request.session["csrf"], "interface_languages": options()["interface_languages"],
        "answer_language_name": lambda code: answer_language_name(code, language),
        **context,
    }, status_code=status_code)


def refuse(request: Request, status_code: int, message_key: str) -> Response:
    return render(request, "error.html", status_code, message_key=message_key)


async def checked_form(request: Request) -> Optional[FormData]:
    """The form of a POST if its CSRF token matches the session's, else None."""
    form = await request.form(max_files=0, max_fields=20)
    return form if csrf_valid(request.session, form.get("csrf")) else None


def page(role: Optional[str] = "staff") -> Callable[[Endpoint], Endpoint]:
    """A page for signed-in users (`role` "editor": editors only; None: anyone).

    Without a session a GET goes to the sign-in page and anything else is refused; a POST
    without the session's CSRF token is refused. The endpoint gets the checked form as `form`.
    """

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user_id = request.session.get("uid")
            user = await run_in_threadpool(user_by_id, request.app.state.engine, user_id) \
                if isinstance(user_id, int) else None
            request.state.user = user
            if role is not None and user is None:
                if request.method == "GET":
                    return RedirectResponse("/login", status_code=303)
                return refuse(request, 401, "error_signed_out")
            if role == "editor" and not user.is_editor:  # type: ignore[union-attr]
                return refuse(request, 403, "error_forbidden")
            form = None
            if request.method == "POST":
                form = await checked_form(request)
                if form is None:
                    return refuse(request, 403, "error_csrf")
            return await endpoint(request, form) if request.method == "POST" else await endpoint(request)

        return guarded

    return decorate


def field(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def state(request: Request) -> Any:
    return request.app.state


# ---------------------------------------------------------------------------------------------
# Sign-in
# ---------------------------------------------------------------------------------------------


@page(role=None)
async def login_page(request: Request) -> Response:
    if request.state.user is None:
        request.session.update(new_session())  # the sign-in form's CSRF token, in a cookie
    return render(request, "login.html")


@page(role=None)
async def login(request: Request, form: FormData) -> Response:
    name = field(form, "name", 100)
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    client = request.client.host if request.client else "?"
    keys = (f"address:{client}", f"user:{name}")
    limiter: LoginLimiter = state(request).limiter
    if limiter.blocked(*keys):
        return render(request, "login.html", status_code=429, error_key="error_rate_limited")
    user = await run_in_threadpool(authenticate, state(request).engine, name, password)
    if user is None:
        limiter.failed(*keys)
        return render(request, "login.html", status_code=401, error_key="error_login")
    limiter.succeeded(f"user:{name}")
    language = request.session.get("lang")
    request.session.clear()
    request.session.update(new_session(), uid=user.id)  # a new CSRF token for the new session
    if language:
        request.session["lang"] = language
    return RedirectResponse("/ask", status_code=303)


@page()
async def logout(request: Request, form: FormData) -> Response:
    request.session.clear()
    request.session.update(new_session())
    return RedirectResponse("/login", status_code=303)


@page(role=None)
async def switch_language(request: Request, form: FormData) -> Response:
    language = field(form, "lang", 10)
    if language in options()["interface_languages"]:
        request.session["lang"] = language
    back = field(form, "next", 500)
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/",
                            status_code=303)


async def health(request: Request) -> Response:
    return PlainTextResponse("ok")


@page()
async def home(request: Request) -> Response:
    return RedirectResponse("/ask", status_code=303)


# ---------------------------------------------------------------------------------------------
# Ask and the knowledge browser
# ---------------------------------------------------------------------------------------------


async def staff_answers(request: Request, question: str, languages: List[str]) -> List[ask.Answer]:
    parse_data = await run_in_threadpool(state(request).api.parse, question)
    return await ask.answers(parse_data, languages)


@page()
async def ask_page(request: Request) -> Response:
    return render(request, "ask.html", question="", answers=[])


@page()
async def ask_question(request: Request, form: FormData) -> Response:
    question = field(form, "question", options()["max_question_length"])
    if not question:
        return render(request, "ask.html", status_code=400, question="", answers=[],
                      error_key="error_empty_question")
    try:
        answers = await staff_answers(request, question, options()["answer_languages"])
    except StaffApiError as error:
        return render(request, "ask.html", status_code=502, question=question, answers=[],
                      error_key="error_rasa", error_detail=str(error))
    return render(request, "ask.html", question=question, answers=answers)


@page()
async def show_to_resident(request: Request, form: FormData) -> Response:
    question = field(form, "question", options()["max_question_length"])
    language = field(form, "language", 10)
    if not question or language not in options()["answer_languages"]:
        return refuse(request, 400, "error_bad_request")
    try:
        (answer,) = await staff_answers(request, question, [language])
    except StaffApiError as error:
        return render(request, "ask.html", status_code=502, question=question, answers=[],
                      error_key="error_rasa", error_detail=str(error))
    return render(request, "show.html", answer=answer, question=question)


@page()
async def knowledge_page(request: Request) -> Response:
    return render(request, "knowledge.html", sections=knowledge_view.sections(),
                  fact_kinds=knowledge_view.fact_kinds(interface_language(request)),
                  languages=knowledge_view.translation_languages())


# ---------------------------------------------------------------------------------------------
# Handoff inbox and replies
# ---------------------------------------------------------------------------------------------


def inbox(request: Request) -> HandoffInbox:
    return state(request).inbox


@page()
async def inbox_page(request: Request) -> Response:
    status = request.query_params.get("status")
    status = status if status in STATUSES else None
    handoffs = await run_in_threadpool(inbox(request).handoffs, status,
                                       options()["inbox_page_size"])
    counts = await run_in_threadpool(inbox(request).counts)
    return render(request, "inbox.html", handoffs=handoffs, counts=counts, status=status,
                  statuses=STATUSES)


async def conversation_view(request: Request, conversation_id: str, status_code: int = 200,
                            **context: Any) -> Response:
    handoff = await run_in_threadpool(inbox(request).handoff, conversation_id)
    if handoff is None:
        return refuse(request, 404, "error_no_conversation")
    unsent = await run_in_threadpool(state(request).outbox.unsent, conversation_id)
    context.setdefault("reply", "")
    return render(request, "conversation.html", status_code, handoff=handoff, unsent=unsent,
                  statuses=STATUSES, **context)


@page()
async def conversation_page(request: Request) -> Response:
    return await conversation_view(request, request.path_params["conversation_id"])


@page()
async def change_status(request: Request, form: FormData) -> Response:
    conversation_id = request.path_params["conversation_id"]
    status = field(form, "status", 20)
    if status not in STATUSES:
        return refuse(request, 400, "error_bad_request")
    if not await run_in_threadpool(inbox(request).set_status, conversation_id, status,
                                   request.state.user.name):
        return refuse(request, 404, "error_no_conversation")
    return RedirectResponse(f"/inbox/{conversation_id}", status_code=303)


@page()
async def send_reply(request: Request, form: FormData) -> Response:
    conversation_id = request.path_params["conversation_id"]
    text = field(form, "text", options()["max_reply_length"])
    if not text:
        return await conversation_view(request, conversation_id, 400,
                                       error_key="error_empty_reply")
    if await run_in_threadpool(inbox(request).handoff, conversation_id) is None:
        return refuse(request, 404, "error_no_conversation")
    delivery = await run_in_threadpool(state(request).outbox.send, conversation_id, text,
                                       request.state.user.name)
    if delivery.status != "sent":
        return await conversation_view(request, conversation_id, 502, reply=text,
                                       error_key="error_delivery", error_detail=delivery.error)
    return RedirectResponse(f"/inbox/{conversation_id}?sent=1", status_code=303)


@page()
async def retry_delivery(request: Request, form: FormData) -> Response:
    try:
        delivery = await run_in_threadpool(state(request).outbox.retry,
                                           request.path_params["delivery_id"])
    except LookupError:
        return refuse(request, 404, "error_bad_request")
    return RedirectResponse(f"/inbox/{delivery.conversation_id}", status_code=303)


@page()
async def prepare_reply(request: Request, form: FormData) -> Response:
    """Put the assistant's answer to a question, in the user's language, in the reply box."""
    conversation_id = request.path_params["conversation_id"]
    question = field(form, "question", options()["max_question_length"])
    handoff = await run_in_threadpool(inbox(request).handoff, conversation_id)
    if handoff is None:
        return refuse(request, 404, "error_no_conversation")
    language = handoff.language if handoff.language in options()["answer_languages"] else "ja"
    if not question:
        return await conversation_view(request, conversation_id, 400,
                                       error_key="error_empty_question")
    try:
        (answer,) = await staff_answers(request, question, [language])
    except StaffApiError as error:
        return await conversation_view(request, conversation_id, 502, error_key="error_rasa",
                                       error_detail=str(error))
    return await conversation_view(request, conversation_id, reply=answer.text,
                                   prepared_question=question)


# ---------------------------------------------------------------------------------------------
# Translation review (editors)
# ---------------------------------------------------------------------------------------------


def review_language(request: Request) -> Optional[str]:
    language = request.path_params["language"]
    return language if language in knowledge_view.translation_languages() else None


@page(role="editor")
async def review_index(request: Request) -> Response:
    return render(request, "review_index.html", languages=knowledge_view.translation_languages(),
                  counts=knowledge_view.review_counts())


@page(role="editor")
async def review_list(request: Request) -> Response:
    language = review_language(request)
    if language is None:
        return refuse(request, 404, "error_bad_request")
    decisions = await run_in_threadpool(state(request).reviews.decisions, language)
    return render(request, "review_list.html", language=language,
                  passages=knowledge_view.renderings(language),
                  decided={d.passage_id: d for d in decisions})


@page(role="editor")
async def review_passage(request: Request) -> Response:
    language = review_language(request)
    passage = knowledge_view.passage(request.path_params["passage_id"])
    if language is None or passage is None:
        return refuse(request, 404, "error_bad_request")
    return render(request, "review_passage.html", language=language, passage=passage,
                  rendering=passage.in_language(language),
                  original=passage.renderings[SOURCE_LANGUAGE])


@page(role="editor")
async def decide(request: Request, form: FormData) -> Response:
    language = review_language(request)
    passage = knowledge_view.passage(request.path_params["passage_id"])
    decision = field(form, "decision", 20)
    if language is None or passage is None or decision not in ("reviewed", "corrected"):
        return refuse(request, 400, "error_bad_request")
    corrected = decision == "corrected"
    raw_text = form.get("text") if corrected else None
    record = Decision(passage.id, language, decision,
                      field(form, "title", 1000) if corrected else None,
                      raw_text if isinstance(raw_text, str) else None,
                      request.state.user.name)
    try:
        await run_in_threadpool(state(request).reviews.record, record)
    except ReviewError as error:
        return render(request, "review_passage.html", status_code=400, language=language,
                      passage=passage, rendering=passage.in_language(language),
                      original=passage.renderings[SOURCE_LANGUAGE],
                      error_key="error_review", error_detail=str(error))
    return RedirectResponse(f"/review/{language}#{passage.id}", status_code=303)


@page(role="editor")
async def download_patch(request: Request) -> Response:
    language = review_language(request)
    if language is None:
        return refuse(request, 404, "error_bad_request")
    decisions = await run_in_threadpool(state(request).reviews.decisions, language)
    diff = patch(language, decisions)
    return PlainTextResponse(diff, media_type="text/x-diff", headers={
        "Content-Disposition": f'attachment; filename="translations-{language}.patch"'})


# ---------------------------------------------------------------------------------------------
# The application
# ---------------------------------------------------------------------------------------------

CONVERSATION = "/inbox/{conversation_id:path}"
ROUTES = [
    Route("/health", health),
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/language", switch_language, methods=["POST"]),
    Route("/", home),
    Route("/ask", ask_page, methods=["GET"]),
    Route("/ask", ask_question, methods=["POST"]),
    Route("/ask/show", show_to_resident, methods=["POST"]),
    Route("/knowledge", knowledge_page),
    Route("/inbox", inbox_page),
    Route("/outbox/{delivery_id}/retry", retry_delivery, methods=["POST"]),
    Route(CONVERSATION + "/status", change_status, methods=["POST"]),
    Route(CONVERSATION + "/reply", send_reply, methods=["POST"]),
    Route(CONVERSATION + "/prepare", prepare_reply, methods=["POST"]),
    Route(CONVERSATION, conversation_page, methods=["GET"]),
    Route("/review", review_index),
    Route("/review/{language}/patch", download_patch),
    Route("/review/{language}/{passage_id}", review_passage, methods=["GET"]),
    Route("/review/{language}/{passage_id}", decide, methods=["POST"]),
    Route("/review/{language}", review_list),
    Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
]


def create_app(settings: Optional[Settings] = None) -> ASGIApp:
    settings = settings or load_settings()
    app = Starlette(routes=ROUTES)
    engine = connect(settings.database_url)
    api = StaffApi(settings.rasa_url, settings.staff_token, options()["rasa_timeout_seconds"])
    app.state.engine = engine
    app.state.api = api
    app.state.inbox = TrackerStoreInbox(engine)
    app.state.outbox = Outbox(engine, api)
    app.state.reviews = ReviewLog(engine)
    limit = options()["login_limit"]
    app.state.limiter = LoginLimiter(
        {"user": limit["per_user"], "address": limit["per_address"]}, limit["minutes"] * 60)
    sessions = SessionMiddleware(app, settings.secret_key, options()["session_hours"] * 3600)
    return BodyLimit(sessions, options()["max_form_bytes"])


def warm_up() -> None:
    """Load what the actions load on first use (the search index), before serving."""
    question = {"text": WARM_UP_QUESTION, "intent": {"name": "ask_plan_topic"}, "entities": []}
    asyncio.run(ask.answer(question, SOURCE_LANGUAGE))
    load_passages()
