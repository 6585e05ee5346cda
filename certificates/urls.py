from django.urls import path, re_path

from certificates import views

app_name = "certificates"

PUBLIC_ID = r"(?P<public_id>[A-Za-z0-9_-]{1,64})"

urlpatterns = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/transcript/", views.transcript, name="transcript"),
    re_path(rf"^certificates/verify/{PUBLIC_ID}/$", views.verify, name="verify"),
    re_path(rf"^certificates/verify/{PUBLIC_ID}\.json$", views.verify, {"as_json": True},
            name="verify_json"),
    re_path(rf"^certificates/{PUBLIC_ID}/pdf$", views.certificate_pdf, name="pdf"),
    re_path(rf"^certificates/{PUBLIC_ID}/credential\.json$", views.certificate_credential,
            name="credential"),
]
