"""Failed sign-ins counted per client IP and username; the login pages refuse after a few.

Django does not throttle authentication (RELIABILITY A2): the admin took 30 wrong passwords in
6.4 s. Failures are counted in the cache (Redis in service mode, so all web processes share the
count) under the IP (``NUM_PROXIES``-aware, as the API's throttles) and the username; after
``LOGIN_MAX_FAILURES`` the login views answer 429 with ``Retry-After`` until the count expires
(``LOGIN_LOCKOUT_S`` after the first failure), even for the right password. A successful
sign-in clears the count. The count is an atomic increment, so parallel guesses are counted too.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

__all__ = ["LOGIN_LOCKOUT_S", "LOGIN_MAX_FAILURES", "failure_key", "login_failed",
           "login_succeeded", "throttled_login"]

logger = logging.getLogger(__name__)

#: Failed sign-ins of one username from one IP before the login refuses it.
LOGIN_MAX_FAILURES = 5
#: Seconds the count is kept after the last failure (and a refused client waits).
LOGIN_LOCKOUT_S = 300
# A downed cache lets sign-ins through (as the upload throttle): it must not lock out everyone.
_CACHE_ERRORS = (RedisError, OSError)


def failure_key(request: HttpRequest, username: str) -> str:
    """Cache key of the failures of ``username`` from the request's client."""
    ident = BaseThrottle().get_ident(request)
    user = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{ident}:{user}"


def login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                 **kwargs: Any) -> None:
    """``user_login_failed`` receiver: count the failure."""
    if request is None:
        return
    key = failure_key(request, str(credentials.get("username", "")))
    try:
        cache.add(key, 0, LOGIN_LOCKOUT_S)
        cache.incr(key)
    except _CACHE_ERRORS as exc:
        logger.warning("login throttle off: its cache is unavailable (%s)", exc)


def login_succeeded(sender: Any, request: HttpRequest | None = None, user: Any = None,
                    **kwargs: Any) -> None:
    """``user_logged_in`` receiver: forget the user's failures from this client."""
    if request is None or user is None:
        return
    try:
        cache.delete(failure_key(request, user.get_username()))
    except _CACHE_ERRORS as exc:
        logger.warning("login throttle off: its cache is unavailable (%s)", exc)


def _refused(request: HttpRequest) -> bool:
    if request.method != "POST":
        return False
    try:
        return int(cache.get(failure_key(request, request.POST.get("username", "")), 0)) \
            >= LOGIN_MAX_FAILURES
    except _CACHE_ERRORS as exc:
        logger.warning("login throttle off: its cache is unavailable (%s)", exc)
        return False


def throttled_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` (a login page), refusing a POST with 429 once its failures reach the limit."""

    def login(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _refused(request):
            response = HttpResponse(
                f"Too many failed sign-ins for this user from your address; retry in "
                f"{LOGIN_LOCKOUT_S // 60} minutes.\n", status=429, content_type="text/plain")
            response["Retry-After"] = str(LOGIN_LOCKOUT_S)
            return response
        return view(request, *args, **kwargs)
    return login
