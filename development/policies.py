"""Who may see and do what at the development question desk and in the site search.

Anybody may ask a question (a visitor through the public form, with a honeypot and a
rate limit), read the published questions and answers and search the public content.
Pikassos' staff who edit projects (planners and coordinators, projects.policies) handle
the queue; a signed-in asker sees their own questions and nobody else's.
"""

from accounts.policies import signed_in
from projects.policies import can_edit


def anybody(user) -> bool:
    """Public pages: the visitor's question form, the published answers, the search."""
    return True


can_ask = anybody
can_read_answers = anybody
can_search = anybody


# The bulletin (issue 19, part 5): anybody subscribes, confirms and unsubscribes (by the
# links e-mailed to them, without logging in) and reads the archive of sent bulletins;
# Pikassos' staff who edit news and events compose, preview and send bulletins.
can_subscribe = anybody
can_read_bulletins = anybody


def can_compose_bulletin(user) -> bool:
    return can_edit(user)


def can_send_bulletin(user) -> bool:
    return can_edit(user)


def can_handle_questions(user) -> bool:
    """The queue: assign, move, answer, link and publish questions."""
    return can_edit(user)


def can_see_own_questions(user) -> bool:
    return signed_in(user)


def can_see_question(user, question) -> bool:
    if can_handle_questions(user):
        return True
    return signed_in(user) and question.asked_by_id == user.pk


def questions_for(user, queryset):
    """The questions this user may open: all for the staff, their own for an asker."""
    if can_handle_questions(user):
        return queryset
    if signed_in(user):
        return queryset.filter(asked_by=user)
    return queryset.none()
