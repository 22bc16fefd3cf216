"""The queue's own upkeep."""

from __future__ import annotations

import procrastinate

from whatssound_svc.jobs import recovery


def blueprint() -> procrastinate.Blueprint:
    """The queue's own tasks, on a blueprint of their own per app (procrastinate binds it to one app)."""
    bp = procrastinate.Blueprint()

    @bp.task(name="recover_stalled", pass_context=True, queueing_lock="jobs:recover_stalled")
    async def recover_stalled(context: procrastinate.JobContext, timestamp: int) -> int:
        """Periodic (private.schedule recover_stalled): jobs held by dead workers go back to the queue."""
        return await recovery.recover_stalled(context.app)

    return bp
