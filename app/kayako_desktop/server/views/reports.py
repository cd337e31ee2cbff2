"""Historic chat figures for supervisors (administrators): JSON for the dashboard's charts, CSV to export."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Response

from kayako_desktop.protocol.commands import ReportQuery
from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.protocol.models import ChatReport
from kayako_desktop.server.api import AGENT
from kayako_desktop.server.errors import ApiError
from kayako_desktop.server.queries.permissions import require_supervisor
from kayako_desktop.server.queries.reports import MAX_DAYS, chat_report, report_csv
from kayako_desktop.server.views import api

if TYPE_CHECKING:
    from kayako_desktop.server.auth import Principal
    from kayako_desktop.server.services import Services


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(ErrorCode.FIELD_INVALID, f"{text!r} is not a date (YYYY-MM-DD)", parameter=name) from None


def _report(svc: Services, principal: Principal, query: ReportQuery) -> dict[str, Any]:
    require_supervisor(principal)
    start, end = _date(query.from_, "from"), _date(query.to, "to")
    if end < start:
        raise ApiError(ErrorCode.FIELD_INVALID, "`to` comes before `from`", parameter="to")
    if (end - start).days >= MAX_DAYS:
        raise ApiError(ErrorCode.FIELD_INVALID, f"Ask for {MAX_DAYS} days at most", parameter="to")
    with svc.db.read() as db:
        return chat_report(db, start, end, query.team_id, query.agent_id)


@api.route("GET", "/reports/chats", auth=AGENT, resource="chat_report", tag="reports", query=ReportQuery,
           response=ChatReport, summary="Chat figures per day and in all for a date range (supervisors, administrators): volume, "
                                        "missed, wait (average, p90), first response, duration, ratings, transfers, "
                                        "declines; one department or one agent")
def chats(svc: Services, principal: Principal, query: ReportQuery) -> ChatReport:
    return ChatReport.model_validate(_report(svc, principal, query))


@api.route("GET", "/reports/chats.csv", auth=AGENT, resource="chat_report", tag="reports", query=ReportQuery, raw=True,
           summary="The same figures as CSV (one row a day, then the total), to open in a spreadsheet")
def chats_csv(svc: Services, principal: Principal, query: ReportQuery) -> Response:
    report = _report(svc, principal, query)
    resp = Response(report_csv(report), mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="chats-{report["start"]}-{report["end"]}.csv"'
    return resp
