from django.http import HttpResponse
from django.urls import path


def bare_view(request):
    return HttpResponse("ok")


urlpatterns = [path("banc-d-essai/vue-nue/", bare_view)]
