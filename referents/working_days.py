"""Calendrier des jours ouvrés par territoire.

Un jour ouvré est un jour du lundi au vendredi qui n'est pas férié dans le territoire. Les jours fériés viennent du
paquet `holidays` (calendrier national, plus celui de la subdivision du territoire : Alsace-Moselle, départements et
collectivités d'outre-mer). Les échéances tombent à 23:59:59, heure locale du territoire.

Chaque fonction accepte un `Territory` ou tout objet ayant `holiday_subdivision` et `time_zone`.
"""

import datetime
import functools
import zoneinfo
from types import SimpleNamespace

import holidays
from django.utils import timezone

END_OF_DAY = datetime.time(23, 59, 59)
#: Le calendrier national (métropole hors Alsace-Moselle), pour ce qui ne relève d'aucun territoire (une demande
#: d'habilitation nationale).
NATIONAL_CALENDAR = SimpleNamespace(holiday_subdivision="", time_zone="Europe/Paris")


@functools.lru_cache(maxsize=512)
def holidays_for(subdivision, year):
    """Les jours fériés d'une subdivision (`""` pour le calendrier national) pour une année."""
    return frozenset(holidays.country_holidays("FR", subdiv=subdivision or None, years=year))


def is_working_day(territory, day):
    return day.weekday() < 5 and day not in holidays_for(territory.holiday_subdivision or "", day.year)


def add_working_days(territory, start, n):
    """Le n-ième jour ouvré après `start` (ex. 2 jours ouvrés après un vendredi : le mardi, sauf jour férié).

    Pour n = 0 : `start` s'il est ouvré, sinon le premier jour ouvré qui le suit.
    """
    if n < 0:
        raise ValueError("Le nombre de jours ouvrés doit être positif ou nul.")
    day = start
    if n == 0:
        while not is_working_day(territory, day):
            day += datetime.timedelta(days=1)
        return day
    while n:
        day += datetime.timedelta(days=1)
        if is_working_day(territory, day):
            n -= 1
    return day


def working_days_between(territory, start, end):
    """Le nombre de jours ouvrés `d` tels que `start < d <= end` (négatif si `end` précède `start`).

    C'est l'inverse de `add_working_days` : `working_days_between(t, s, add_working_days(t, s, n)) == n` pour n ≥ 1.
    """
    if end < start:
        return -working_days_between(territory, end, start)
    days = (start + datetime.timedelta(days=offset) for offset in range(1, (end - start).days + 1))
    return sum(is_working_day(territory, day) for day in days)


def deadline_at(territory, start_datetime, n):
    """L'échéance à n jours ouvrés de `start_datetime` : 23:59:59, heure locale du territoire, le jour dit.

    Le jour de départ est la date locale de `start_datetime` dans le fuseau du territoire.
    """
    if timezone.is_naive(start_datetime):
        raise ValueError("start_datetime doit porter un fuseau horaire.")
    tz = zoneinfo.ZoneInfo(territory.time_zone)
    day = add_working_days(territory, start_datetime.astimezone(tz).date(), n)
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=tz)


def local_now(territory):
    """L'heure courante dans le fuseau du territoire."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(territory.time_zone))
