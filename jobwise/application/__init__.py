"""The application layer: commands and their handlers (``commands``), read views
(``queries``), process managers (``processes``), the command bus and the repository.

It uses the domain, and the adapters through their ports; nothing here knows HTTP.
"""
