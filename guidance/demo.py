"""Guidance in the demo region: the recommendations of every student with a reliable RIASEC result, computed as the
background task would."""

import time

from guidance.services import recommendations_refresh_all


def build_guidance_demo(*, seed: int, stdout=None) -> dict[str, int]:
    started = time.perf_counter()
    students = recommendations_refresh_all()
    if stdout is not None:
        stdout.write(f"Рекомендации рассчитаны для {students} обучающихся; {time.perf_counter() - started:.1f} с\n")
    return {"students": students}
