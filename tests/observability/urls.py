"""Les URL de la plateforme, plus une vue qui échoue avec une donnée de personne dans son message et ses variables."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from tests.observability.personal_data import BIRTH_DATE, FIRST_NAME, LAST_NAME


@login_not_required
@csrf_exempt
def explode(request):
    identity = {"first_name": FIRST_NAME, "last_name": LAST_NAME, "birth_date": BIRTH_DATE}
    raise ValueError(f"invalid identity: {identity}")


urlpatterns = [path("test-erreur/", explode, name="explode"), path("", include("mniop.urls"))]
