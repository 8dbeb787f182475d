"""Writing a validated workbook: every row in one transaction, in bulk, each with its audit entry.

`WritePlan` is what validation produces: new instances to create and existing instances with
their changed fields. New instances may point at other new instances (a person in a hamlet
created by the same file); writing model by model in dependency order gives each its primary
key before anything refers to it.
"""

import copy
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from auditlog.cid import get_cid
from auditlog.diff import get_field_value, model_instance_diff, track_field
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str

from assessments.models import RecognitionCase, Registration, RoadmapTarget
from assessments.services import REGISTRATION_TERMS, registration_terms_fixed
from casefiles.models import CategoryPeriod, DrugTest, Person, PresencePeriod, RehabEpisode
from communes.models import (
    Commune,
    CultivationFind,
    Hamlet,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    Pledge,
    PreventionModel,
    Province,
    WantedPerson,
)

# Rows per INSERT: large batches cut round trips; 2,000 rows of our widest model stay far
# below PostgreSQL's 65,535 parameters per statement.
BATCH_SIZE = 2000
# Referenced models before the models that refer to them.
WRITE_ORDER = [
    Province,
    Commune,
    Hamlet,
    Person,
    CategoryPeriod,
    PresencePeriod,
    DrugTest,
    RehabEpisode,
    Hotspot,
    CultivationFind,
    Offence,
    WantedPerson,
    Household,
    Pledge,
    HamletPledge,
    PreventionModel,
    Registration,
    RoadmapTarget,
]


@dataclass
class Update:
    instance: models.Model
    before: models.Model  # a copy taken before the first change, for the audit entry
    fields: set[str] = field(default_factory=set)


@dataclass
class WritePlan:
    creates: dict[type, list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    updates: dict[int, Update] = field(default_factory=dict)  # by id() of the instance
    # (instance, field, target) for links between two new rows of the same model, which one
    # bulk insert cannot express: set after both exist.
    links: list[tuple[models.Model, str, models.Model]] = field(default_factory=list)

    def create(self, instance: models.Model) -> models.Model:
        self.creates[type(instance)].append(instance)
        return instance

    def changed_fields(self, instance: models.Model, values: dict) -> list[str]:
        return [name for name, value in values.items() if not _same(instance, name, value)]

    def change(self, instance: models.Model, values: dict) -> bool:
        """Bring `instance` to `values`; False when it already has them (nothing to write)."""
        names = self.changed_fields(instance, values)
        if not names:
            return False
        update = self.updates.get(id(instance))
        if update is None:
            update = self.updates[id(instance)] = Update(instance, copy.copy(instance))
        for name in names:
            setattr(instance, name, values[name])
        update.fields.update(names)
        return True

    def link(self, instance: models.Model, name: str, target: models.Model) -> None:
        self.links.append((instance, name, target))


def _same(instance: models.Model, name: str, value) -> bool:
    model_field = instance._meta.get_field(name)
    if model_field.is_relation:
        # Compare keys, so that reading the current value never costs a query.
        target_pk = None if value is None else value.pk
        if value is not None and target_pk is None:
            return False  # a row created by this import
        return getattr(instance, model_field.attname) == target_pk
    return getattr(instance, name) == value


class WorkbookNotApplicable(Exception):
    """The preview has errors or was applied already: writing it would break the promise that
    a file is imported whole or not at all."""


@dataclass
class WorkbookPreview:
    """What importing the file would do: its errors, or the counts and the plan to write."""

    errors: list  # of errors.CellError, in sheet and row order
    counts: dict[str, dict[str, int]]  # {sheet: {"create": n, "update": n, "unchanged": n}}
    plan: WritePlan
    applied: bool = False


@transaction.atomic
def workbook_apply(preview: WorkbookPreview, *, by=None) -> dict[str, dict[str, int]]:
    """Write a valid preview in one transaction, with an audit entry per row; return the counts.

    `by` is the importing user (None on the command line). Apply soon after the preview: the
    plan holds the rows as they were read then.
    """
    if preview.errors:
        raise WorkbookNotApplicable("the workbook has errors; nothing was written")
    if preview.applied:
        raise WorkbookNotApplicable("this preview was applied already")
    _refuse_rows_changed_since_read(preview.plan)
    _refuse_registrations_fixed_since_read(preview.plan)
    _write(preview.plan, by)
    preview.applied = True
    return preview.counts


def _refuse_rows_changed_since_read(plan: WritePlan) -> None:
    """Lock the versioned rows the plan changes and refuse if one was saved since it was read.

    Writing anyway would give the import the version of that save (and overwrite its fields),
    so a form opened on that save's version could then undo the import unseen.
    """
    read_versions = defaultdict(dict)
    for update in plan.updates.values():
        if hasattr(update.before, "version"):
            read_versions[type(update.instance)][update.instance.pk] = update.before.version
    for model, versions in read_versions.items():
        stored = dict(
            model.objects.select_for_update()
            .filter(pk__in=list(versions))
            .values_list("pk", "version")
        )
        if any(stored.get(pk) != version for pk, version in versions.items()):
            raise WorkbookNotApplicable(
                "hồ sơ trong tệp vừa được người khác sửa sau khi xem trước; hãy kiểm tra lại tệp"
            )


def _refuse_registrations_fixed_since_read(plan: WritePlan) -> None:
    """Refuse if a registration whose terms the plan changes had its case submitted since it
    was read: locking the cases makes a submission wait for this import, or this import see it.
    """
    ids = [
        update.instance.pk
        for update in plan.updates.values()
        if type(update.instance) is Registration and update.fields & set(REGISTRATION_TERMS)
    ]
    if not ids:
        return
    list(RecognitionCase.objects.select_for_update().filter(registration_id__in=ids))
    for registration in Registration.objects.select_related("case", "commune").filter(pk__in=ids):
        if registration_terms_fixed(registration):
            raise WorkbookNotApplicable(
                f"hồ sơ công nhận năm {registration.year} của xã {registration.commune.name} vừa "
                "được nộp sau khi xem trước; hãy kiểm tra lại tệp"
            )


def _write(plan: WritePlan, by) -> None:
    unordered = {type(update.instance) for update in plan.updates.values()} | set(plan.creates)
    if not unordered <= set(WRITE_ORDER):
        # A row of a model missing from WRITE_ORDER would be silently dropped.
        raise ValueError(f"no write order for {unordered - set(WRITE_ORDER)}")
    now = timezone.now()
    for model in WRITE_ORDER:
        updates = [update for update in plan.updates.values() if type(update.instance) is model]
        _bulk_update(model, updates, now)
        _bulk_create(model, plan.creates.get(model, []), by)
    _write_links(plan.links)
    # Built and written a batch at a time: a million entries held at once would need gigabytes.
    entries = _audit_entries(plan, by)
    while batch := list(islice(entries, BATCH_SIZE)):
        _add_request_context(batch)
        LogEntry.objects.bulk_create(batch, batch_size=BATCH_SIZE)


def _bulk_update(model, updates: list[Update], now) -> None:
    if not updates:
        return
    names = set().union(*(update.fields for update in updates))
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        # bulk_update skips auto_now; set it as save() would.
        names.add("updated_at")
        for update in updates:
            update.instance.updated_at = now
    instances = [update.instance for update in updates]
    model.objects.bulk_update(instances, sorted(names), batch_size=BATCH_SIZE)


def _bulk_create(model, instances: list[models.Model], by) -> None:
    if not instances:
        return
    if any(f.name == "recorded_by" for f in model._meta.concrete_fields):
        for instance in instances:
            instance.recorded_by = by
    model.objects.bulk_create(instances, batch_size=BATCH_SIZE)


def _write_links(links) -> None:
    by_model = defaultdict(list)
    for instance, name, target in links:
        setattr(instance, name, target)
        by_model[(type(instance), name)].append(instance)
    for (model, name), instances in by_model.items():
        model.objects.bulk_update(instances, [name], batch_size=BATCH_SIZE)


def _audit_entries(plan: WritePlan, by) -> Iterator[LogEntry]:
    """One entry per row written, with the changes auditlog itself would record on save()."""
    context = {"actor": by, "actor_email": getattr(by, "email", None), "cid": get_cid()}
    for model in WRITE_ORDER:
        changes_of = created_changes(model)
        for instance in plan.creates.get(model, []):
            yield _entry(instance, LogEntry.Action.CREATE, changes_of(instance), context)
    for update in plan.updates.values():
        changes = model_instance_diff(update.before, update.instance, fields_to_check=update.fields)
        if changes:  # auditlog logs no entry when only untracked columns changed
            yield _entry(update.instance, LogEntry.Action.UPDATE, changes, context)


@cache
def created_changes(model) -> Callable[[models.Model], dict | None]:
    """What auditlog's `model_instance_diff(None, instance)` gives for a new row, restricted to
    the row's own columns: auditlog's placeholders for reverse relations ("persons":
    "casefiles.Person.None") say nothing and would cost a query per household.

    auditlog works out the fields to compare for every instance, which costs most of an
    import's time at a million rows; they depend only on the model, so they are worked out
    once here. A model with masked fields keeps auditlog's own function.
    """
    own_fields = [f.name for f in model._meta.concrete_fields]
    registered = auditlog.get_model_fields(model)
    if registered["mask_fields"]:
        return lambda instance: model_instance_diff(None, instance, fields_to_check=own_fields)
    compared = [
        f
        for f in model._meta.concrete_fields
        if track_field(f)
        and (not registered["include_fields"] or f.name in registered["include_fields"])
        and f.name not in registered["exclude_fields"]
    ]
    # A new row has no old values: auditlog reads each as the string "None".
    old = smart_str(None)

    def changes(instance) -> dict | None:
        diff = {}
        for model_field in compared:
            new = get_field_value(instance, model_field)
            if new != old:
                diff[model_field.name] = (old, smart_str(new))
        return diff or None

    return changes


def _add_request_context(entries: list[LogEntry]) -> None:
    """Let auditlog's middleware fill in the address (and the actor, if `by` is None) as it
    does on save(). Its receiver listens to LogEntry's pre_save only while a request is being
    served; bulk_create sends no signal, so send it. Its context variable outlives the request,
    so reading that directly would name the previous request's user."""
    using = router.db_for_write(LogEntry)
    for entry in entries:
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=using, update_fields=None)


def _entry(instance, action, changes, context) -> LogEntry:
    return LogEntry(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_pk=str(instance.pk),
        object_id=instance.pk,
        object_repr=smart_str(instance),
        action=action,
        changes=changes,
        additional_data={**instance.get_additional_data(), "via": "import"},
        **context,
    )
