"""URL routes: the JSON API under /api/, its schema and docs, and the front end's routes.

Ids are parsed by the path converters (``<uuid:pk>``, ``<int:pk>``): a malformed id matches no
route and gets the JSON 404 of ``handler404``, never reaching a view.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.login_throttle import throttled_login
from analyses import apis as analyses_apis
from catalog import apis as catalog_apis
from config import views

__all__ = ["urlpatterns", "handler404", "handler500"]

api_patterns = [
    path("analyses/", analyses_apis.AnalysisListCreateApi.as_view(), name="analysis-list"),
    path("analyses/batch/", analyses_apis.AnalysisBatchCreateApi.as_view(), name="analysis-batch"),
    path("analyses/known/", analyses_apis.AnalysisKnownApi.as_view(), name="analysis-known"),
    path("analyses/<uuid:pk>/", analyses_apis.AnalysisDetailApi.as_view(), name="analysis-detail"),
    path("analyses/<uuid:pk>/events/", analyses_apis.AnalysisEventsApi.as_view(), name="analysis-events"),
    path("tracks/", catalog_apis.TrackListApi.as_view(), name="track-list"),
    # Before tracks/<uuid:pk>/, although "export" is no uuid: the order says which wins.
    path("tracks/export/", catalog_apis.TrackExportApi.as_view(), name="track-export"),
    path("tracks/ids/", catalog_apis.TrackIdsApi.as_view(), name="track-ids"),
    path("tracks/<uuid:pk>/", catalog_apis.TrackDetailApi.as_view(), name="track-detail"),
    path("tracks/<uuid:pk>/audio/", catalog_apis.TrackAudioApi.as_view(), name="track-audio"),
    path("tracks/<uuid:pk>/similar/", catalog_apis.TrackSimilarApi.as_view(), name="track-similar"),
    path("tracks/<uuid:pk>/personal/", catalog_apis.TrackPersonalApi.as_view(), name="track-personal"),
    path("tracks/<uuid:pk>/label/", catalog_apis.TrackLabelApi.as_view(), name="track-label"),
    path("artists/", catalog_apis.ArtistListApi.as_view(), name="artist-list"),
    path("artists/<int:pk>/", catalog_apis.ArtistDetailApi.as_view(), name="artist-detail"),
    path("genres/", catalog_apis.GenreTreeApi.as_view(), name="genre-tree"),
    path("genres/<slug:slug>/", catalog_apis.GenreDetailApi.as_view(), name="genre-detail"),
    path("health/ready", analyses_apis.HealthReadyApi.as_view(), name="health-ready"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    # Before the include: the browsable API's login, counted like the admin's.
    path("auth/login/", throttled_login(LoginView.as_view(template_name="rest_framework/login.html")),
         name="api-login"),
    path("auth/", include("rest_framework.urls")),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("admin/login/", throttled_login(admin.site.login), name="admin-login"),
    path("admin/", admin.site.urls),
    # Client-side routes of the front end all get its index.html.
    re_path(r"^(?:|library/?|genres/?|genres/[\w-]+/?|analyses/[\w-]+/?|artists/[\w-]+/?)$",
            views.spa_index, name="frontend"),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
