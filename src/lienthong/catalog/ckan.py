"""CKAN's Action API: `/api/action/{name}` and `/api/3/action/{name}`, for GET and POST.

An action is a function ``(context, data_dict) -> result`` registered with `@action`. This
module turns requests into data dicts and results and domain errors into CKAN 2.11's
envelope, `__type` values and HTTP statuses, so that ckanapi and CKAN harvesters work
unchanged. The catalog's actions live in `ckan_actions`, `ckan_search` and `ckan_write`;
other parts (the warehouse's ``datastore_*``) register theirs the same way, without this
module knowing them:

>>> @action("hello_show")
... def hello_show(context: ActionContext, data_dict: dict[str, Any]) -> str:
...     '''Say hello.'''
...     return "xin chào"
>>> ACTIONS["hello_show"].write
False
>>> del ACTIONS["hello_show"]
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote

import orjson
from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

# re-exported: actions elsewhere raise it through this module
from lienthong.catalog.ckan_query import SearchQueryError as SearchQueryError
from lienthong.core.auth import Principal, optional_principal
from lienthong.core.errors import (
    Forbidden,
    IntegrityBroken,
    LienthongError,
    NotFound,
    Unauthenticated,
)
from lienthong.core.platform import Platform

log = logging.getLogger("lienthong.ckan")

JSON_TYPE = "application/json;charset=utf-8"
# Parameters CKAN's schemas decode when they arrive as JSON text (always so in a GET query,
# sometimes in a form or even a JSON body). Other parts may add theirs.
JSON_PARAMS: set[str] = {"filters", "fields", "facet.field", "fq_list", "records", "primary_key"}
# An error that concerns no single field still needs a key: CKAN's dict has no `message`.
GENERAL = "__all__"


@dataclass
class ActionContext:
    """What an action runs with: the platform, who calls (None: anonymous), the request."""

    platform: Platform
    principal: Principal | None
    request: Request

    @property
    def site_url(self) -> str:
        return self.platform.settings.site_url.rstrip("/")

    @property
    def instance(self) -> str:
        return self.platform.settings.instance

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated("this action needs an API key in the Authorization header")
        return self.principal


ActionFn = Callable[[ActionContext, dict[str, Any]], Any]
F = TypeVar("F", bound=ActionFn)


@dataclass(frozen=True)
class Action:
    fn: ActionFn
    # write actions refuse GET, as CKAN's non-side-effect-free actions do
    write: bool
    # for hot read actions (see ckan_fast): whether an anonymous call with this input is
    # quick enough (a fraction of a millisecond, no writes) to run on the event loop
    quick: Callable[[dict[str, Any]], bool] | None = None


ACTIONS: dict[str, Action] = {}


def action(
    name: str, *, write: bool = False, quick: Callable[[dict[str, Any]], bool] | None = None
) -> Callable[[F], F]:
    """Register `fn` as the CKAN action `name`; its docstring is what help_show returns."""

    def register(fn: F) -> F:
        ACTIONS[name] = Action(fn, write, quick)
        return fn

    return register


class DataError(LienthongError):
    """Input of the wrong shape, e.g. a string where a list belongs: CKAN's `Integrity Error`."""


class BadRequest(Exception):
    """Refused before any action runs; CKAN answers these with a bare JSON string."""


router = APIRouter(tags=["ckan"])


Runner = Callable[[Action, Request, dict[str, Any]], Awaitable[Any]]


async def in_thread(act: Action, request: Request, data: dict[str, Any]) -> Any:
    """Run an action off the event loop: resolving keys and most actions read the database."""
    return await run_in_threadpool(run, act, request, data)


async def call_action(name: str, request: Request) -> Response:
    """Call a CKAN action. GET (read actions only) takes query parameters; POST a JSON body."""
    status, body = await answer(name, request, in_thread)
    return Response(body, status_code=status, media_type=JSON_TYPE)


async def answer(name: str, request: Request, runner: Runner) -> tuple[int, bytes]:
    """The HTTP status and JSON body of a call, whichever way it reached us (see ckan_fast)."""
    envelope: dict[str, Any] = {"help": _help_url(request, name)}
    act = ACTIONS.get(name)
    try:
        if act is None:
            raise BadRequest(f"Action name not known: {name[:200]}")
        data = await _request_data(request, act)
    except BadRequest as exc:
        log.info("bad CKAN request to %s: %s", name[:200], exc)
        return 400, dumps(f"Bad request - {exc}")
    try:
        result = await runner(act, request, data)
    except Exception as exc:
        status, error = error_body(exc)
        return status, dumps(envelope | {"success": False, "error": error})
    return 200, dumps(envelope | {"success": True, "result": result})


# one route per path and method: FastAPI would give a multi-method route one operation id
for _version, _path in (("", "/api/action/{name}"), ("3", "/api/3/action/{name}")):
    for _method in ("GET", "POST"):
        _id = f"ckan{_version}_action_{_method.lower()}"
        router.add_api_route(_path, call_action, methods=[_method], operation_id=_id)


def run(act: Action, request: Request, data: dict[str, Any]) -> Any:
    # resolving the key reads the database: keep it off the event loop, like the action
    principal = optional_principal(request)
    return act.fn(ActionContext(request.app.state.platform, principal, request), data)


def _help_url(request: Request, name: str) -> str:
    site = request.app.state.platform.settings.site_url.rstrip("/")
    return f"{site}/api/3/action/help_show?name={quote(name[:200], safe='')}"


# --- errors ------------------------------------------------------------------------------
def error_body(exc: Exception) -> tuple[int, dict[str, Any]]:
    """HTTP status and CKAN `error` object for an exception an action raised."""
    if isinstance(exc, ValidationError):
        return 409, validation_error(pydantic_errors(exc))
    if isinstance(exc, SearchQueryError):
        return 400, {"__type": "Search Query Error", "message": _search_message(exc)}
    if isinstance(exc, DataError):
        return 400, {"__type": "Integrity Error", "message": exc.message}
    if isinstance(exc, NotFound):
        return 404, {"__type": "Not Found Error", "message": f"Not found: {exc.message}"}
    if isinstance(exc, Forbidden | Unauthenticated):
        # CKAN has no 401: a missing or bad key is an Authorization Error too
        return 403, {"__type": "Authorization Error", "message": f"Access denied: {exc.message}"}
    if isinstance(exc, LienthongError) and not isinstance(exc, IntegrityBroken):
        return 409, validation_error(exc.errors or {GENERAL: [exc.message]})
    log.exception("CKAN action failed", exc_info=exc)
    return 500, {"__type": "Internal Server Error", "message": "Internal Server Error"}


def validation_error(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {**errors, "__type": "Validation Error"}


def _search_message(exc: SearchQueryError) -> str:
    # CKAN formats the exception's args with %r; ckanapi keeps what follows ": "
    return f"Search Query is invalid: {exc.message!r}"


def pydantic_errors(
    exc: ValidationError, rename: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """field -> messages, naming each field by its first location (renamed for CKAN)."""
    out: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        head = (rename or {}).get(loc[0], loc[0]) if loc else GENERAL
        where = ".".join(loc[1:])
        msg = str(err.get("msg", "invalid"))
        out.setdefault(head, []).append(f"{where}: {msg}" if where else msg)
    return out


# --- request data ------------------------------------------------------------------------
async def _request_data(request: Request, act: Action) -> dict[str, Any]:
    if request.method == "GET":
        if act.write:
            raise BadRequest("JSON Error: Invalid request. Please use POST method for your request")
        data = mixed(request.query_params.multi_items())
    else:
        data = await _body_data(request)
        if not data and not act.write:
            # CKAN reads a side-effect-free action's input from the URL on POST too
            data = mixed(request.query_params.multi_items())
    # JSONP: CKAN drops it (and the user); we serve no JSONP, so only drop the key
    data.pop("callback", None)
    return decode_json_params(data)


def mixed(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query or form pairs as a dict: a repeated key becomes a list, as in CKAN.

    >>> mixed([("q", "xã"), ("facet.field", "tags"), ("facet.field", "organization")])
    {'q': 'xã', 'facet.field': ['tags', 'organization']}
    """
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key not in out:
            out[key] = value
        elif isinstance(out[key], list):
            out[key].append(value)
        else:
            out[key] = [out[key], value]
    return out


async def _body_data(request: Request) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if ctype == "multipart/form-data":
        return await _multipart(request)
    if ctype == "application/x-www-form-urlencoded" and not raw.lstrip().startswith(b"{"):
        return _form(_pairs(raw))
    if not raw.strip():
        return {}
    # a JSON body, whatever the declared type: curl -d sends JSON as a form
    return _as_dict(_loads(raw))


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=10_000)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"JSON Error: the form data cannot be read: {exc}") from None


async def _multipart(request: Request) -> dict[str, Any]:
    try:
        form = await request.form()
    except Exception as exc:  # the multipart parser raises several types on bad input
        raise BadRequest(f"JSON Error: the form data cannot be read: {exc}") from None
    # uploads are not supported: only text fields are input
    return _form([(k, v) for k, v in form.multi_items() if isinstance(v, str)])


def _form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    # CKAN's rule: one key with an empty or "1" value is a JSON document sent as a form
    if len(pairs) == 1 and pairs[0][1] in ("", "1"):
        return _as_dict(_loads(pairs[0][0].encode()))
    return mixed(pairs)


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"JSON Error: Error decoding JSON data. Error: {exc}") from None


def _as_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        shown = repr(value)[:100]
        raise BadRequest(
            f"JSON Error: Request data JSON decoded to {shown} but it needs to be a dictionary."
        )
    return value


def decode_json_params(data: dict[str, Any]) -> dict[str, Any]:
    """Decode JSON text in `JSON_PARAMS`; text that is not JSON stays for the action to judge.

    >>> decode_json_params({"filters": '{"ma_xa": "31"}', "q": "[x]"})
    {'filters': {'ma_xa': '31'}, 'q': '[x]'}
    """
    for key in JSON_PARAMS & data.keys():
        value = data[key]
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(ValueError, RecursionError):
                data[key] = json.loads(value)
    return data


# --- responses ---------------------------------------------------------------------------
def dumps(body: Any) -> bytes:
    """JSON as UTF-8, compact. orjson; the standard library for what orjson refuses
    (integers past 64 bits, keys that are not strings)."""
    try:
        return orjson.dumps(body, default=_jsonable, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        text = json.dumps(body, ensure_ascii=False, default=_jsonable, separators=(",", ":"))
        return text.encode()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


# Registers the catalog's actions. Imported last: those modules import this one's names.
import lienthong.catalog.ckan_actions  # noqa: E402
import lienthong.catalog.ckan_search  # noqa: E402
import lienthong.catalog.ckan_write  # noqa: E402, F401
