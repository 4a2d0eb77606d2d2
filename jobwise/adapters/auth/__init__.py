"""Accounts and authentication: password hashing, tokens, and the user aggregate.

``passwords`` hashes and checks passwords (argon2id, OWASP parameters) off the
event loop; ``tokens`` issues and verifies the HS256 access/refresh JWT pair
(RFC 8725). Rate limiting and login throttling live in ``jobwise.adapters.ratelimit``.
"""
