from django.conf import settings


def site(request):
    return {"SITE_NAME": "Onefix", "SITE_URL": settings.SITE_URL}
