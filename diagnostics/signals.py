"""What diagnostics tells the apps above it (guidance recomputes a student's recommendations on it).

`results_changed` is sent with `student_id=` after a student's result is finished or withdrawn (and after an erasure
removed their results). It is sent inside the writing service's transaction, after the write: a receiver reads the new
state, and work it enqueues (a task row) is committed with the result or rolled back with it."""

from django.dispatch import Signal

results_changed = Signal()  # student_id: int
