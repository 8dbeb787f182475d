from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import security
from communes.access import (
    changeable_communes,
    commune_to_add_in,
    get_or_404,
    hamlets_to_filter_by,
    refuse_leaders,
    visible_communes,
)
from core.querystring import int_or_none, kept_filters

from . import access, selectors, services
from .exports import persons_workbook
from .forms import (
    CloseForm,
    DrugTestForm,
    MoveForm,
    PersonCreateForm,
    PersonForm,
    RehabEndForm,
    RehabEpisodeForm,
    StateChangeForm,
    SupportActionForm,
)
from .models import Category, PersonMove, Presence, TransferRequest, TransferState
from .timeline import build_timeline

PERSONS_PER_PAGE = 25


def _list_filters(request: HttpRequest) -> dict:
    """The list's filters from the query string; unknown values are ignored."""
    get = request.GET
    category = get.get("category", "")
    present = get.get("present", "")
    return {
        "search": get.get("q", "").strip()[:100],
        "commune_id": int_or_none(get.get("commune")),
        "category": category if category in Category.values else "",
        "hamlet_id": int_or_none(get.get("hamlet")),
        "present": present if present in ("yes", "no") else "",
        "no_file": get.get("no_file") == "1",
        "no_recent_test": get.get("no_recent_test") == "1",
        "closed": get.get("closed") == "1",
    }


FILTER_KEYS = (
    "q",
    "commune",
    "category",
    "hamlet",
    "present",
    "no_file",
    "no_recent_test",
    "closed",
)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    refuse_leaders(request.user)
    filters = _list_filters(request)
    security.record_people_search(request, filters["search"])
    persons = selectors.person_list(request.user, today=timezone.localdate(), **filters)
    page = Paginator(persons, PERSONS_PER_PAGE).get_page(request.GET.get("page"))
    # The names on the page are a read of those files (the page's queryset keeps the rows).
    services.people_access_log(
        user=request.user, persons=page.object_list, via="search" if filters["search"] else "list"
    )
    communes = visible_communes(request.user).only("id", "name", "code")
    return render(
        request,
        "casefiles/person_list.html",
        {
            "page": page,
            "filters": filters,
            "filter_query": kept_filters(request, FILTER_KEYS),
            "categories": Category.choices,
            "communes": communes if not request.user.is_commune_officer else None,
            # Commune officers pick a hamlet of their commune; others first pick a commune.
            "hamlets": hamlets_to_filter_by(request.user, filters["commune_id"]),
            "create_commune": commune_to_add_in(request.user, filters["commune_id"]),
            "moves_out": access.visible_moves_out(request.user).exists(),
        },
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    refuse_leaders(request.user)
    filters = _list_filters(request)
    security.record_people_search(request, filters["search"])
    persons = list(selectors.person_list(request.user, today=timezone.localdate(), **filters))
    content = persons_workbook(persons)
    services.people_access_log(user=request.user, persons=persons, via="export")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="nguoi-duoc-quan-ly-{stamp}.xlsx"'
    return response


@login_required
def moves_out(request: HttpRequest) -> HttpResponse:
    refuse_leaders(request.user)
    moves = (
        access.visible_moves_out(request.user)
        .select_related("person__commune", "from_commune", "to_commune")
        .order_by("-moved_on", "-pk")
    )
    page = Paginator(moves, PERSONS_PER_PAGE).get_page(request.GET.get("page"))
    services.people_access_log(
        user=request.user, persons=[move.person for move in page.object_list], via="moves_out"
    )
    return render(request, "casefiles/moves_out.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, commune_pk: int) -> HttpResponse:
    commune = get_or_404(changeable_communes(request.user), pk=commune_pk)
    form = PersonCreateForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.person_create_or_transfer(
                commune=commune,
                identity=form.identity,
                category=form.cleaned_data["category"],
                category_since=form.cleaned_data["category_since"],
                presence=form.cleaned_data["presence"],
                presence_since=form.cleaned_data["listed_on"],
                note=form.cleaned_data["transfer_note"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:  # in use in the area, or today's limit reached
            form.add_error("citizen_id", error)
        else:
            if isinstance(created, TransferRequest):
                # Nothing about the file that holds the number: only what the officer sent.
                messages.info(
                    request,
                    _(
                        "No new file was opened for citizen ID %(number)s: a file transfer "
                        "request was sent to the provincial police. Its answer will be shown "
                        "here."
                    )
                    % {"number": created.citizen_id},
                )
                return redirect("casefiles:transfers")
            messages.success(request, _("File of %(name)s created.") % {"name": created.full_name})
            return redirect("casefiles:detail", pk=created.pk)
    return render(request, "casefiles/person_form.html", {"form": form, "commune": commune})


@login_required
def transfer_requests(request: HttpRequest) -> HttpResponse:
    """The file transfer requests the officer's communes sent, and their answers."""
    refuse_leaders(request.user)
    transfers = access.visible_sent_transfer_requests(request.user).select_related(
        "to_commune", "person__commune"
    )
    page = Paginator(transfers, PERSONS_PER_PAGE).get_page(request.GET.get("page"))
    # An approved row names a person of the officer's area and links their file: a read, as
    # any list of names is. A pending or rejected row shows only what the officer typed.
    services.people_access_log(
        user=request.user,
        persons=[
            transfer.person
            for transfer in page.object_list
            if transfer.state == TransferState.APPROVED
        ],
        via="transfer_requests",
    )
    return render(request, "casefiles/transfer_requests.html", {"page": page})


def _timeline_person(user, pk):
    """The person with everything the detail page shows, in a fixed number of queries."""
    persons = access.visible_persons(user).select_related("commune__province", "hamlet")
    persons = persons.prefetch_related(
        "categories",
        "presences",
        "tests",
        "rehab_episodes",
        "support_actions",
        Prefetch("moves", queryset=PersonMove.objects.select_related("from_commune", "to_commune")),
    )
    return get_or_404(persons, pk=pk)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _timeline_person(request.user, pk)
    services.people_access_log(user=request.user, persons=[person], via="page")
    categories = list(person.categories.all())
    presences = list(person.presences.all())
    rehab_episodes = list(person.rehab_episodes.all())
    can_change = access.can_change_person(request.user, person)
    return render(
        request,
        "casefiles/person_detail.html",
        {
            "person": person,
            "current_category": categories[-1]
            if categories and not categories[-1].ended_on
            else None,
            "current_presence": presences[-1] if presences and not presences[-1].ended_on else None,
            "open_rehab": [episode for episode in rehab_episodes if not episode.ended_on],
            "timeline": build_timeline(
                person,
                categories=categories,
                presences=presences,
                tests=person.tests.all(),
                rehab_episodes=rehab_episodes,
                support=person.support_actions.all(),
                moves=person.moves.all(),
            ),
            "can_change": can_change,
            "test_form": DrugTestForm(person=person, prefix="test") if can_change else None,
            "rehab_form": RehabEpisodeForm(person=person, prefix="rehab") if can_change else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person_by_id(request.user, pk, for_change=True)
    form = PersonForm(request.POST or None, instance=person, commune=person.commune)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data.get("version") or 0
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            services.person_update(
                person=person,
                changes=changes,
                expected_version=expected,
                by=request.user,
                request=request,
            )
        except ValidationError as error:  # a new citizen ID that cannot be used
            form.add_error("citizen_id", error)
            return render(request, "casefiles/person_form.html", {"form": form, "person": person})
        except services.ConcurrentEditError:
            messages.error(
                request,
                _(
                    "Someone else saved this file while you were editing it. Nothing of yours "
                    "was saved; their changes are shown below. Make your changes again."
                ),
            )
            return redirect("casefiles:edit", pk=person.pk)
        messages.success(request, _("File of %(name)s saved.") % {"name": person.full_name})
        return redirect("casefiles:detail", pk=person.pk)
    # The form shows the whole identity.
    return _render_with_person(
        request, "casefiles/person_form.html", {"form": form, "person": person}, via="edit"
    )


def _render_with_person(request, template: str, context: dict, *, via: str) -> HttpResponse:
    """A page that names the person (its heading, its breadcrumb) is a read of the file."""
    services.people_access_log(user=request.user, persons=[context["person"]], via=via)
    return render(request, template, context)


def _record_event(request, pk, form_class, record, success_message, prefix):
    """Shared flow of the quick-add forms on the detail page."""
    person = access.access_person_by_id(request.user, pk, for_change=True)
    form = form_class(request.POST or None, person=person, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                record(person=person, data=form.cleaned_data, by=request.user)
        except IntegrityError:  # the same record saved a moment ago (double submit)
            form.add_error(None, _("This record has just been saved; it is not saved twice."))
        else:
            messages.success(request, success_message)
            return redirect("casefiles:detail", pk=person.pk)
    return _render_with_person(
        request, "casefiles/event_form.html", {"form": form, "person": person}, via=f"{prefix}_add"
    )


@login_required
@require_http_methods(["GET", "POST"])
def test_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_event(
        request, pk, DrugTestForm, services.drug_test_record, _("Drug test recorded."), "test"
    )


@login_required
@require_http_methods(["GET", "POST"])
def rehab_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_event(
        request, pk, RehabEpisodeForm, services.rehab_record, _("Rehab episode recorded."), "rehab"
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_event(
        request, pk, SupportActionForm, services.support_record, _("Support recorded."), "support"
    )


@login_required
@require_http_methods(["GET", "POST"])
def rehab_end(request: HttpRequest, pk: int) -> HttpResponse:
    episodes = access.changeable_rehab_episodes(request.user).filter(ended_on__isnull=True)
    episode = get_or_404(episodes.select_related("person__commune"), pk=pk)
    form = RehabEndForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.rehab_end(episode=episode, **form.cleaned_data)
        messages.success(request, _("Rehab episode ended."))
        return redirect("casefiles:detail", pk=episode.person_id)
    return _render_with_person(
        request,
        "casefiles/event_form.html",
        {"form": form, "person": episode.person, "title": _("End a rehab episode")},
        via="rehab_end",
    )


def _change_state(request, pk, *, label, choices, change, title, via):
    person = access.access_person_by_id(request.user, pk, for_change=True)
    form = StateChangeForm(request.POST or None, label=label, choices=choices, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            change(person, form.cleaned_data["value"], form.cleaned_data["on"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("casefiles:detail", pk=person.pk)
    return _render_with_person(
        request,
        "casefiles/event_form.html",
        {"form": form, "person": person, "title": title},
        via=via,
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_category(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_state(
        request,
        pk,
        label=_("New category"),
        choices=Category.choices,
        change=lambda person, value, on, by: services.person_change_category(
            person=person, category=value, on=on, by=by
        ),
        title=_("Change category"),
        via="category",
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_presence(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_state(
        request,
        pk,
        label=_("Presence"),
        choices=Presence.choices,
        change=lambda person, value, on, by: services.person_change_presence(
            person=person, status=value, on=on, by=by
        ),
        title=_("Change presence"),
        via="presence",
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person_by_id(request.user, pk, for_change=True)
    targets = access.move_targets(request.user, person)
    form = MoveForm(request.POST or None, communes=targets.order_by("search_text"))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_move(
                person=person,
                to_commune=form.cleaned_data["to_commune"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The file of %(name)s was moved to %(commune)s.")
                % {"name": person.full_name, "commune": form.cleaned_data["to_commune"].name},
            )
            if access.can_see_person(request.user, person):
                return redirect("casefiles:detail", pk=person.pk)
            return redirect("casefiles:list")
    return _render_with_person(
        request,
        "casefiles/event_form.html",
        {"form": form, "person": person, "title": _("Move to another commune"), "warning": True},
        via="move",
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_close(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person_by_id(request.user, pk, for_change=True)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_close(
                person=person,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:  # someone closed it a moment ago
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The file of %(name)s was closed.") % {"name": person.full_name}
            )
            return redirect("casefiles:detail", pk=person.pk)
    return _render_with_person(
        request,
        "casefiles/event_form.html",
        {"form": form, "person": person, "title": _("Close the file"), "warning": True},
        via="close",
    )
