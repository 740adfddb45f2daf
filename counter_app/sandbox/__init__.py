"""A local stand-in for MAGDA, the OCMW service and UiTPAS (fictitious personas, fault injection).

``app.create_sandbox_app`` gives the ASGI app (use it in-process with httpx.ASGITransport),
``server.running_sandbox`` runs it on 127.0.0.1 in a thread, ``server.run_sandbox_server``
serves it for ``counter-app sandbox``; ``faults.SandboxFaults`` describes misbehaviour.
"""
