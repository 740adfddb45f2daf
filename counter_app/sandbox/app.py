"""One ASGI application that stands in for MAGDA, the OCMW service and UiTPAS.

Used in-process by tests (httpx.ASGITransport), as a real local server by
benchmarks and the check-service tests (``server.running_sandbox``), and by
``counter-app sandbox`` for demonstrations without any external access.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from counter_app.sandbox.faults import FaultSwitch, SandboxFaults
from counter_app.sandbox.magda import MagdaEndpoint, RequestCheck
from counter_app.sandbox.personas import PersonaStore
from counter_app.sandbox.rest import OcmwEndpoint, UitpasApi

MAGDA_PREFIX = "/magda"
OCMW_PREFIX = ""  # the OCMW adapter's base URL is the sandbox root: {base}/ocmw/v1/...
UITPAS_PREFIX = "/uitpas"


def default_personas_dir() -> Path:
    """The project's own fictitious personas (resources/personas)."""
    from cardreader.resources import resources_dir

    return resources_dir() / "personas"


def create_sandbox_app(
    personas_dir: Path | None = None,
    faults: SandboxFaults | None = None,
    *,
    seed: int | None = None,
    magda_request_check: RequestCheck | None = None,
) -> Starlette:
    """The sandbox app. ``personas_dir`` None means the project's own personas.

    ``magda_request_check`` makes the MAGDA emulation refuse requests like MAGDA's
    security layer would (a SOAP fault ``wsse:<code>``), e.g. unsigned ones.

    ``app.state.faults`` is the FaultSwitch (``.set(SandboxFaults(...))`` at run time),
    ``app.state.uitpas`` the UiTPAS emulation (tokens issued, registrations).
    """
    store = PersonaStore(personas_dir if personas_dir is not None else default_personas_dir())
    switch = FaultSwitch(faults, seed=seed)
    magda = MagdaEndpoint(store, switch, magda_request_check)
    ocmw = OcmwEndpoint(store, switch)
    uitpas = UitpasApi(store, switch)

    async def put_faults(request: Request) -> Response:
        try:
            switch.set(SandboxFaults.model_validate(await request.json()))
        except (ValueError, ValidationError):
            return JSONResponse({"error": "invalid faults"}, status_code=400)
        return JSONResponse(switch.current.model_dump(mode="json"))

    async def get_faults(request: Request) -> Response:
        return JSONResponse(switch.current.model_dump(mode="json"))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    routes = [
        Route(MAGDA_PREFIX + "/{path:path}", magda.handle, methods=["POST"]),
        Route(OCMW_PREFIX + "/ocmw/v1/persons/{insz}/trajectories", ocmw.handle, methods=["GET"]),
        Route(UITPAS_PREFIX + "/oauth/token", uitpas.token, methods=["POST"]),
        Route(
            UITPAS_PREFIX + "/passholders/status/insz-numbers/{insz}",
            uitpas.status,
            methods=["GET"],
        ),
        Route(
            UITPAS_PREFIX + "/passholders/membership-prices/{card_system_id}",
            uitpas.price,
            methods=["GET"],
        ),
        Route(UITPAS_PREFIX + "/passholders", uitpas.register, methods=["POST"]),
        Route("/_sandbox/faults", put_faults, methods=["PUT"]),
        Route("/_sandbox/faults", get_faults, methods=["GET"]),
        Route("/_sandbox/health", health, methods=["GET"]),
    ]
    app = Starlette(routes=routes)
    app.state.faults = switch
    app.state.uitpas = uitpas
    app.state.personas = store
    return app
