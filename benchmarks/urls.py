"""Les URL de la plateforme, plus une vue nue : la référence des bancs d'essai (mêmes intergiciels, rien d'autre)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from mniop.urls import urlpatterns as platform_urlpatterns


@login_not_required
def bare_view(request):
    return HttpResponse("ok")


urlpatterns = [path("banc-d-essai/vue-nue/", bare_view, name="bench_bare_view"), *platform_urlpatterns]
