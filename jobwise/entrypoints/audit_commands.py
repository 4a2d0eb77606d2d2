"""``jobwise events`` (the log, filtered) and ``jobwise replay`` (read models as of a moment).

Imports of the application stay inside the commands, as in ``cli``: building the parser
must stay cheap.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

import orjson

from jobwise.entrypoints.tools import run_tool

if TYPE_CHECKING:
    from jobwise.application.queries.event_filter import EventFilter
    from jobwise.bootstrap import Runtime
    from jobwise.domain.events import RecordedEvent
    from jobwise.settings import Settings

PAGE = 1_000
"""Events read per query while printing: a long history streams, never held whole."""


def add_audit_commands(commands: Any) -> None:
    _add_events(commands)
    _add_replay(commands)


def _add_events(commands: Any) -> None:
    events = commands.add_parser(
        "events",
        help="print the event history, oldest first, filtered",
        description=(
            "Print the event store's history, oldest first, one line each (--format table) "
            "or JSON lines (--format json, or --json). Filters combine: --since/--until "
            "(ISO 8601 or a time ago: 90s, 30m, 2h, 7d), --type (repeat or comma list), "
            "--stream, --user (email or id: what they did or what was done to them), "
            "--request-id. Page with --after N and --limit N: when more remain, the next "
            "--after is said on stderr. Password hashes are shown as [redacted]."
        ),
    )
    events.add_argument("--since", metavar="TIME", help="recorded at or after TIME")
    events.add_argument("--until", metavar="TIME", help="recorded at or before TIME")
    events.add_argument("--type", action="append", default=[], metavar="TYPE", help="event type")
    events.add_argument("--stream", metavar="ID", help="only this stream")
    events.add_argument("--user", metavar="EMAIL|ID", help="everything this user did or owns")
    events.add_argument("--request-id", metavar="ID", help="only this request's events")
    events.add_argument("--after", default="0", metavar="N", help="after position N")
    events.add_argument("--limit", default=None, metavar="N", help="print at most N")
    events.add_argument("--format", choices=("table", "json"), default="table")
    events.add_argument("--json", action="store_true", help="same as --format json")
    events.set_defaults(run=_events)


def _add_replay(commands: Any) -> None:
    replay = commands.add_parser(
        "replay",
        help="every read model as it stood at a past time or position",
        description=(
            "Run every projection over the events up to --as-of (a position, or a time: "
            "the last event recorded at or before it) into scratch collections named "
            "PREFIX<collection> (--into, default replay_<now>_), or write them as JSON "
            "lines to FILE (--dump, - for stdout). The live read models are not touched. "
            "--drop PREFIX removes a replay's scratch collections."
        ),
    )
    replay.add_argument("--as-of", metavar="TIME|POSITION", help="a position or a time")
    where = replay.add_mutually_exclusive_group()
    where.add_argument("--into", metavar="PREFIX", help="scratch collections' name prefix")
    where.add_argument("--dump", metavar="FILE", help="write JSON lines here (- for stdout)")
    where.add_argument("--drop", metavar="PREFIX", help="remove a replay's collections")
    replay.set_defaults(run=_replay)


def _refuse(message: str) -> int:
    print(f"jobwise: {message}", file=sys.stderr)
    return 2


# -- events ------------------------------------------------------------------------


def _chosen(args: argparse.Namespace) -> EventFilter | str:
    """The filter the arguments name, or why they do not name one."""
    from pydantic import ValidationError

    from jobwise.application.queries.event_filter import EventFilter

    given = {
        "since": args.since,
        "until": args.until,
        "types": args.type,
        "stream_id": args.stream,
        "user_id": args.user,  # checked as any id; an email is turned into one later
        "request_id": args.request_id,
        "after": args.after,
    }
    try:
        return EventFilter.model_validate({k: v for k, v in given.items() if v is not None})
    except ValidationError as error:
        return "; ".join(_problem(e) for e in error.errors(include_url=False))


_OPTIONS = {
    "stream_id": "--stream",
    "user_id": "--user",
    "types": "--type",
    "request_id": "--request-id",
}


def _problem(error: Any) -> str:
    field = str(error["loc"][0]) if error["loc"] else "filter"
    return f"{_OPTIONS.get(field, '--' + field)}: {error['msg']}"


def _limit(text: str | None) -> int | str | None:
    if text is None:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 10**12 or len(text) > 13:
        return f"--limit: expected a whole number from 1, not {text[:40]!r}"
    return int(text)


def _events(args: argparse.Namespace, settings: Settings) -> int:
    chosen, limit = _chosen(args), _limit(args.limit)
    if isinstance(chosen, str):
        return _refuse(chosen)
    if isinstance(limit, str):
        return _refuse(limit)
    as_json = args.json or args.format == "json"

    async def work(runtime: Runtime) -> int:
        from jobwise.application.queries.history import find_user_id

        current = chosen
        if chosen.user_id is not None and "@" in chosen.user_id:
            user_id = await find_user_id(runtime.store, chosen.user_id)
            if user_id is None:
                print(f"jobwise: no user with email {chosen.user_id}", file=sys.stderr)
                return 1
            current = chosen.model_copy(update={"user_id": user_id})
        return await _print_pages(runtime, current, limit, as_json, sys.stdout)

    return run_tool(settings, work)


async def _print_pages(
    runtime: Runtime, chosen: EventFilter, limit: int | None, as_json: bool, out: TextIO
) -> int:
    from jobwise.application.queries.event_filter import filtered_events

    left = limit
    after: int | None = chosen.after
    while after is not None and (left is None or left > 0):
        size = PAGE if left is None else min(PAGE, left)
        page = await filtered_events(
            runtime.database,
            runtime.store.opener,
            chosen.model_copy(update={"after": after, "limit": size}),
        )
        for event in page.events:
            print(_as_json(event) if as_json else _as_row(event), file=out)
        after = page.next_after
        if left is not None:
            left -= len(page.events)
    if after is not None:
        print(f"jobwise: more events follow: --after {after}", file=sys.stderr)
    return 0


def _as_json(event: RecordedEvent) -> str:
    from jobwise.application.queries.history import redacted

    shown = event.model_dump(mode="json")
    shown["data"] = redacted(shown["data"])
    return orjson.dumps(shown, option=orjson.OPT_SORT_KEYS).decode()


def _as_row(event: RecordedEvent) -> str:
    from jobwise.application.queries.history import redacted

    who = f" by {event.metadata.user_id}" if event.metadata.user_id else ""
    ip = (event.metadata.model_extra or {}).get("ip")
    who += f" from {ip}" if ip else ""
    data = orjson.dumps(redacted(event.data), default=str, option=orjson.OPT_SORT_KEYS).decode()
    if len(data) > 160:
        data = data[:157] + "..."
    when = event.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"
    return (
        f"#{event.position:<6} {when}  {event.stream_type}/{event.stream_id} "
        f"v{event.version}  {event.type}{who}  {data}"
    )


# -- replay ------------------------------------------------------------------------


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    if args.drop is None and args.as_of is None:
        return _refuse("replay needs --as-of TIME|POSITION (or --drop PREFIX)")
    moment: Any = None
    if args.as_of is not None:
        moment = _as_of(args.as_of)
        if isinstance(moment, str):
            return _refuse(moment)

    async def work(runtime: Runtime) -> int:
        from jobwise.projections.replay import ReplayRefused

        try:
            if args.drop is not None:
                return await _drop(runtime, args.drop)
            return await _replay_at(runtime, args, await _position(runtime, moment), out)
        except ReplayRefused as refused:
            return _refuse(str(refused))

    out: TextIO | None = None
    if args.dump is not None:
        try:
            out = sys.stdout if args.dump == "-" else open(args.dump, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as error:
            return _refuse(f"--dump: {error.strerror or error}")
    try:
        return run_tool(settings, work)
    finally:
        if out is not None and out is not sys.stdout:
            out.close()


def _as_of(text: str) -> Any:
    from jobwise.application.queries.event_filter import parse_moment

    if text.strip().isdigit() and len(text.strip()) <= 16:
        return int(text.strip())
    try:
        return parse_moment(text)
    except ValueError as error:
        return f"--as-of: {error}"


async def _position(runtime: Runtime, moment: Any) -> int:
    from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION
    from jobwise.adapters.eventstore.timeline import Timeline

    if isinstance(moment, int):
        return moment
    return await Timeline(runtime.database[EVENTS_COLLECTION]).last_at_or_before(moment)


async def _drop(runtime: Runtime, prefix: str) -> int:
    from jobwise.projections.replay import drop_replay

    dropped = await drop_replay(runtime.database, prefix, runtime.projections)
    print(f"dropped {len(dropped)} collection(s): {', '.join(dropped) or 'none'}")
    return 0


async def _replay_at(
    runtime: Runtime, args: argparse.Namespace, position: int, out: TextIO | None
) -> int:
    from jobwise.domain.events import utc_now
    from jobwise.projections.replay import drop_replay, dumped, replay_as_of

    stamp = utc_now().strftime("%Y%m%d%H%M%S")
    prefix = args.into or f"replay_{stamp}_"
    if args.dump is not None and args.into is None:
        prefix = f"replay_dump_{stamp}_"
    made = await replay_as_of(
        runtime.projections,
        runtime.store,
        runtime.client,
        runtime.database,
        position=position,
        prefix=prefix,
    )
    if out is None:
        print(f"replayed to position {position} into: {', '.join(sorted(made.values()))}")
        return 0
    try:
        print(orjson.dumps({"as_of_position": position}).decode(), file=out)
        async for collection, document in dumped(runtime.database, made):
            line = {"collection": collection, "document": document}
            text = orjson.dumps(line, default=str, option=orjson.OPT_SORT_KEYS).decode()
            print(text, file=out)
    finally:
        await drop_replay(runtime.database, prefix, runtime.projections)
    return 0
