from django.conf import settings


def service(request):
    """Names every page needs: the council, the service and its phase."""
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_AREA_NAME": settings.COUNCIL_AREA_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_PHASE": settings.SERVICE_PHASE,
        "SERVICE_CONTACT_EMAIL": settings.SERVICE_CONTACT_EMAIL,
    }
