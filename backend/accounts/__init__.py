"""Accounts: API tokens (stored as digests) and the admin login throttle."""

from __future__ import annotations

__all__: list[str] = []
