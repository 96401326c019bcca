"""Tenue de l'annuaire : les administrateurs d'une organisation tiennent ses fiches, la Miprof modère."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from directory.forms import (
    DirectoryEntryForm,
    DirectoryImportConfirmForm,
    DirectoryImportForm,
    ModerationForm,
    OwnEntryForm,
)
from directory.permissions import (
    can_edit_entry,
    can_edit_own_entry,
    can_keep_own_entries,
    can_manage_directory,
    can_moderate_directory,
)
from directory.services import (
    ENTRY_FIELDS,
    OWN_ENTRY_FIELDS,
    create_entry,
    editable_organisations,
    import_entries,
    moderate_entry,
    update_entry,
    update_own_entry,
    verify_entry,
)
from directory.views.common import manager_required, professional_required, visible_entry
from mniop.forms import add_service_errors
from mniop.roles import role_required
from referents.models import DirectoryEntry

IMPORT_MAX_BYTES = 2 * 1024 * 1024


@role_required(can_keep_own_entries)
def my_entries(request):
    """Les fiches que la personne tient : celles dont elle est titulaire ou suppléante, et pour un·e
    administrateur·rice celles de son organisation (la Miprof : toutes celles à vérifier), à vérifier d'abord."""
    user = request.user
    visible = DirectoryEntry.objects.visible_to(user).select_related("organisation", "main_territory")
    entries = visible.held_by(user)
    if can_moderate_directory(user):
        entries = visible.filter(needs_verification=True) | entries
    elif can_manage_directory(user):
        entries = visible.filter(organisation_id=request.membership.organisation_id) | entries
    entries = entries.order_by("-needs_verification", "last_verified_on", "title", "pk")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    log_access(request, action="search", model=DirectoryEntry, object_id="mes-fiches")
    return render(
        request,
        "directory/my_entries.html",
        {
            "page_obj": page,
            "is_moderator": can_moderate_directory(user),
            "is_manager": can_manage_directory(user),
        },
    )


def _entry_fields(form):
    return {name: form.cleaned_data[name] for name in ENTRY_FIELDS if name in form.cleaned_data}


@manager_required
def entry_create(request):
    organisations = editable_organisations(request.user).order_by("name")
    form = DirectoryEntryForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            entry = create_entry(
                organisation=form.cleaned_data["organisation"],
                territories=list(form.cleaned_data["territories"]),
                by=request.user,
                **_entry_fields(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action="create", obj=entry)
            messages.success(request, f"La fiche « {entry.title} » est créée.")
            return redirect("directory:entry_detail", public_id=entry.public_id)
    return render(request, "directory/entry_form.html", {"form": form, "entry": None})


def _entry_form_page(request, *, entry, form, save, success, **context):
    """Le formulaire d'une fiche existante : enregistrer par le service `save(form)`, ou montrer ses erreurs."""
    if request.method == "POST" and form.is_valid():
        try:
            entry = save(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action="update", obj=entry)
            messages.success(request, success)
            return redirect("directory:entry_detail", public_id=entry.public_id)
    else:
        log_access(request, action="read", obj=entry)
    return render(request, "directory/entry_form.html", {"form": form, "entry": entry, **context})


def _own_entry_update(request, entry):
    """Le·la titulaire corrige ses coordonnées : le territoire et la fonction restent à l'administration."""
    return _entry_form_page(
        request,
        entry=entry,
        form=OwnEntryForm(request.POST or None, instance=entry),
        save=lambda form: update_own_entry(
            entry=entry, by=request.user, **{name: form.cleaned_data[name] for name in OWN_ENTRY_FIELDS}
        ),
        success="Vos coordonnées sont enregistrées et la fiche est datée de ce jour.",
        is_own_entry=True,
    )


@professional_required
def entry_update(request, public_id):
    entry = visible_entry(request, public_id)
    if not can_edit_entry(request.user, entry):
        if can_edit_own_entry(request.user, entry):
            return _own_entry_update(request, entry)
        raise PermissionDenied
    return _entry_form_page(
        request,
        entry=entry,
        form=DirectoryEntryForm(
            request.POST or None, instance=entry, organisations=editable_organisations(request.user)
        ),
        save=lambda form: update_entry(
            entry=entry, territories=list(form.cleaned_data["territories"]), by=request.user, **_entry_fields(form)
        ),
        success="La fiche est enregistrée et datée de ce jour comme vérifiée.",
    )


@require_POST
@professional_required
def entry_verify(request, public_id):
    entry = visible_entry(request, public_id)
    if not (can_edit_entry(request.user, entry) or can_edit_own_entry(request.user, entry)):
        raise PermissionDenied
    entry = verify_entry(entry=entry, by=request.user)
    log_access(request, action="update", obj=entry)
    messages.success(request, "Merci : la fiche est vérifiée à la date du jour.")
    return redirect("directory:entry_detail", public_id=entry.public_id)


@require_POST
@professional_required
def entry_moderate(request, public_id):
    entry = visible_entry(request, public_id)
    if not can_moderate_directory(request.user):
        raise PermissionDenied
    form = ModerationForm(request.POST)
    form.is_valid()
    suspend = request.POST.get("action") == "suspendre"
    try:
        entry = moderate_entry(
            entry=entry, is_active=not suspend, note=form.cleaned_data.get("note", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        log_access(request, action="update", obj=entry)
        messages.success(request, "La fiche est suspendue." if suspend else "La fiche est rétablie.")
    return redirect("directory:entry_detail", public_id=entry.public_id)


@manager_required
def entry_import(request):
    """Import CSV en deux temps : aperçu (erreurs ligne par ligne, rien n'est écrit), puis confirmation."""
    preview = None
    upload = DirectoryImportForm()
    confirm = None
    if request.method == "POST" and "content" in request.POST:
        confirm = DirectoryImportConfirmForm(request.POST)
        if confirm.is_valid():
            preview = import_entries(content=confirm.cleaned_data["content"], by=request.user, dry_run=False)
            if not preview.has_errors:
                log_access(request, action="create", model=DirectoryEntry, object_id=f"import:{preview.created}")
                messages.success(request, f"{preview.created} fiche(s) importée(s).")
                return redirect("directory:my_entries")
    elif request.method == "POST":
        upload = DirectoryImportForm(request.POST, request.FILES)
        if upload.is_valid():
            data = upload.cleaned_data["file"]
            if data.size > IMPORT_MAX_BYTES:
                upload.add_error("file", "Le fichier dépasse 2 Mo : découpez-le.")
            else:
                content = data.read()
                preview = import_entries(content=content, by=request.user, dry_run=True)
                if not preview.has_errors:
                    confirm = DirectoryImportConfirmForm(initial={"content": content.decode("utf-8-sig")})
    return render(request, "directory/entry_import.html", {"form": upload, "preview": preview, "confirm": confirm})
