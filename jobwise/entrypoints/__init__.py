"""The ways in: HTTP routes (``http``), live updates over WebSocket and SSE (``live``),
the web client's files (``web``) and the ``jobwise`` command line (``cli``)."""
