"""Writes that span models: one transaction each, called by the views with valid forms."""

from django.db import transaction
from django.utils.text import slugify

from projects.models import Event, NewsItem, Project, Tag


@transaction.atomic
def save_project(*, form, formsets) -> Project:
    """Save a project with its partners, links and outputs."""
    project = form.save()
    for formset in formsets:
        formset.instance = project
        formset.save()
    return project


@transaction.atomic
def save_event(*, form, by) -> Event:
    event = form.save(commit=False)
    if event.created_by_id is None:
        event.created_by = by
    event.save()
    form.save_m2m()
    return event


@transaction.atomic
def delete_event(event) -> None:
    event.delete()


def get_or_create_tag(name: str) -> Tag:
    """The tag with this name or slug, created if missing (names differing in case are one)."""
    slug = slugify(name)[: Tag._meta.get_field("slug").max_length]
    tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.filter(slug=slug).first()
    return tag or Tag.objects.create(name=name, slug=slug)


@transaction.atomic
def save_news_item(*, form, by) -> NewsItem:
    item = form.save(commit=False)
    if item.author_id is None:
        item.author = by
    item.save()
    form.save_m2m()
    new_tags = [get_or_create_tag(name) for name in form.cleaned_data.get("new_tags", [])]
    if new_tags:
        item.tags.add(*new_tags)
    return item


@transaction.atomic
def delete_news_item(item) -> None:
    item.delete()
