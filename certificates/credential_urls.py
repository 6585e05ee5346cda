"""URLs for signed credentials, included at /credentials/ by lms/urls.py."""

from django.urls import path

from certificates import credential_views

app_name = "credentials"

urlpatterns = [
    path("verify/", credential_views.verify_credential_view, name="verify"),
    path("issuer.json", credential_views.issuer_profile_view, name="issuer"),
]
