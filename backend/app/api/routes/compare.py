"""Two of the user's heatmap jobs on one scale, computed and drawn on the interactive queue
(`app.worker.heatmap_edits`) from their stored tracks."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import CurrentUserId
from app.api.interactive import INTERACTIVE_BUSY, ask, ask_png, within_rate
from app.api.openapi import error, errors, file_answer
from app.core.config import settings
from app.kinds.compare import Comparison, View
from app.worker.heatmap_edits import COMPARE, COMPARE_IMAGE

router = APIRouter(tags=["compare"])
RESPONSES = {
    **errors(401),
    **error(404, "a or b is not one of your heatmap jobs that succeeded"),
    **error(409, "a job's stored tracks are gone"),
    **error(429, "more than `REGIONS_PER_MINUTE` comparisons in the last minute (with Retry-After)"),
    **error(503, INTERACTIVE_BUSY),
}


async def _within_rate(user_id: uuid.UUID) -> None:
    await within_rate("compare", user_id, limit=settings.regions_per_minute, what="comparisons")


@router.get("/compare", response_model=Comparison, responses=RESPONSES)
async def get_comparison(a: uuid.UUID, b: uuid.UUID, user_id: CurrentUserId) -> Response:
    """Jobs `a` and `b` side by side (422 when their frames differ in size), each drawn with its own options:
    their person-seconds, people and durations, the top of the shared scale of their heat per second of video,
    b - a per second, and the delta of each zone named alike in both jobs' regions."""
    await _within_rate(user_id)
    return await ask(COMPARE, a=str(a), b=str(b), user_id=str(user_id))


@router.get("/compare/image", response_class=Response, responses={**RESPONSES, **file_answer("image/png")})
async def get_comparison_image(
    a: uuid.UUID, b: uuid.UUID, user_id: CurrentUserId, view: View = "difference"
) -> Response:
    """A PNG on the shared scale (`scale_max` of `GET /api/compare`): `a` or `b`'s heat per second over its
    background, or `difference` (b - a) blue through white to red over b's background in grey; legend in
    person-s per s per 100x100 px."""
    await _within_rate(user_id)
    return await ask_png(COMPARE_IMAGE, a=str(a), b=str(b), user_id=str(user_id), view=view)
