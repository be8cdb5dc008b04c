"""Pagination that does not count the whole filtered set on every page view.

Long lists (the request queue grows by thousands a year) read one row more than a
page to know whether there is a next page, instead of a COUNT(*) over every match.
"""

from dataclasses import dataclass


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    paginator = None  # no total: the template shows "page N" instead of "N of M"

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_previous() or self.has_next

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def page_number(value):
    """The page asked for in `?page=`: 1 for anything but a number, and at most 10 000
    (beyond that an offset scan costs more than a person would page through)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), 10_000)


def paginate_without_count(queryset, page, per_page):
    number = page_number(page)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
