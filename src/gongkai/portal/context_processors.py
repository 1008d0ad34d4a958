from django.conf import settings
from django.utils import translation


def site(request):
    english = (translation.get_language() or "").startswith("en")
    return {
        # the English pages name the site in English (issue 19)
        "SITE_NAME": getattr(settings, "SITE_NAME_EN", "")
        if english and getattr(settings, "SITE_NAME_EN", "")
        else settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_FOOTER": getattr(settings, "SITE_FOOTER", {}),
    }
