"""The heatmap options' defaults in the OpenAPI schema are the operator's settings, so that a client can show
them and send only what its user changed (the SPA does)."""

from __future__ import annotations

import httpx

from tests.conftest import start_api, stop_process


def test_the_schema_states_an_operators_heatmap_defaults():
    process, base = start_api(HEATMAP_SAMPLE_FPS="2", HEATMAP_CONF="0.4")
    try:
        schema = httpx.get(f"{base}/api/openapi.json", timeout=30).json()
    finally:
        stop_process(process)
    fields = schema["components"]["schemas"]["HeatmapOptions"]["properties"]
    assert (fields["sample_fps"]["default"], fields["conf"]["default"]) == (2.0, 0.4)
    assert (fields["colormap"]["default"], fields["anchor"]["default"]) == ("turbo", "feet")
