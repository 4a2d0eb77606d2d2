"""The HTTP application: routes, middlewares, OpenAPI and docs."""
