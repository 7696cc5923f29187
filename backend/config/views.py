"""Project-level views: the single-page front end and JSON 404/500 pages."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse

from config.api import error_body

__all__ = ["FRONTEND_MISSING", "not_found", "server_error", "spa_index"]

FRONTEND_MISSING = (
    "<!doctype html><title>GenreLens</title><h1>GenreLens API is running</h1>"
    "<p>The front end is not built yet: run <code>npm run build</code> in <code>frontend/</code>. "
    "The API is at <a href='/api/docs/'>/api/docs/</a>.</p>"
)


def spa_index(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """The built front end's index.html for every client-side route."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(FRONTEND_MISSING)
    response = FileResponse(index.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON 404 in the API's error shape."""
    return JsonResponse(error_body("Not found.", code="not_found"), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """JSON 500 in the API's error shape (the traceback goes to the log, never the client)."""
    return JsonResponse(error_body("internal server error", code="internal"), status=500)
