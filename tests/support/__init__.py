"""Helpers shared by the test suites (real servers, not mocks)."""
