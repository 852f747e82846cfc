"""Operations on a host's jobs."""

from __future__ import annotations

from core import api
from gui.i18n import translate
from gui.operations import HostOp


def recent(session, limit: int = 30, owner=None) -> HostOp:
    """The host's latest jobs, as dicts, newest first."""
    return HostOp(session, lambda conn: [j.to_dict() for j in conn.jobs(limit=limit)],
                  title=translate("JobOperations", "Job history unavailable"), owner=owner)


def show(session, job_ids: list[int], owner=None) -> HostOp:
    """These jobs as the host has them now (dicts); one that the host no longer knows is left out."""
    def fetch(conn) -> list[dict]:
        out = []
        for jid in job_ids:
            try:
                out.append(conn.job(jid).to_dict())
            except api.NotFound:
                pass
        return out

    return HostOp(session, fetch, track=False, title=translate("JobOperations", "Job unavailable"), owner=owner)


def cancel(session, job_id: int, owner=None) -> HostOp:
    """Ask the host to cancel a job; the result is the job as it is then."""
    return HostOp(session, lambda conn: conn.cancel_job(job_id), track=False,
                  title=translate("JobOperations", "Cannot cancel the job"), owner=owner)
