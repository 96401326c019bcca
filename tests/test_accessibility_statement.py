"""La déclaration d'accessibilité dit ce qui est testé, comment, et à quelle date."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_statement_says_what_was_tested_how_and_when(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert "RGAA" in page and "non conforme" in page
    assert "Ce qui est testé, et comment" in page
    assert "axe-core" in page and "clavier seul" in page and "320 pixels" in page
    assert "7 décembre 2026" in page
    assert "200 %" in page and "critère 10.4" in page
    assert "PDF/UA-1" in page and "ne sont pas balisés" not in page
