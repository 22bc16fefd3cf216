"""Durable background jobs on procrastinate (tables in schema ``procrastinate``, not exposed).

``queue.py`` builds the app (connector, retries, failure log, stalled-job recovery) and knows
every task; tasks live with what they do (``whatssound_svc/push/tasks.py``, ...). SQL enqueues
with ``private.enqueue_job`` in the same transaction as the change; Python with
``task.defer_async``.
"""
