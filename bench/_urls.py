"""URLconf for the throughput bench: Allele's own, plus a bare view as the ceiling."""

from django.http import HttpResponse
from django.urls import path

from lms.urls import urlpatterns as allele_urlpatterns


def bare(request):
    """The least a Django view on this server can do: the ceiling for every other figure."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *allele_urlpatterns]
