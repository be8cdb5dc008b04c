"""Who may see and do what at the development question desk, in the site search, in
project planning and in the networks (the last two: see their sections below).

Anybody may ask a question (a visitor through the public form, with a honeypot and a
rate limit), read the published questions and answers and search the public content.
Pikassos' staff who edit projects (planners and coordinators, projects.policies) handle
the queue; a signed-in asker sees their own questions and nobody else's.
"""

from django.db.models import Q

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


# Project planning (issue 19, part 3) ------------------------------------------------------
#
# Project ideas are Pikassos' internal planning: only the staff who edit projects see the
# pipeline, open an idea, edit it, move it and make a project of it. Everybody else is
# refused every idea page alike (403, before any idea is looked up), so nobody learns
# whether an idea exists.


def can_plan(user) -> bool:
    return can_edit(user)


# Networks (issue 19, part 4) --------------------------------------------------------------
#
# The staff manage networks: their members, contact persons and meetings, and see them all.
# A signed-in user of a member organisation sees the network, its members, its meetings and
# its contact persons' work details: the contact persons are kept for the coordination of
# that network (their basis, noted on each), and its members are those who coordinate.
# A network marked public has a public page, for anybody, without the contact persons;
# other signed-in users see the public networks as visitors do. A network that is neither
# public nor the user's does not exist for them (404).


def can_see_networks(user) -> bool:
    """The list: anybody sees the networks that `networks_for` lets them."""
    return True


def can_manage_networks(user) -> bool:
    return can_edit(user)


def is_member(user, network) -> bool:
    if not signed_in(user):
        return False
    return network.members.filter(pk__in=user.organisation_ids).exists()


def networks_for(user, queryset):
    """The networks this user may open: all for the staff; the public ones and their own
    organisations' for a signed-in user; the public ones for a visitor."""
    if can_manage_networks(user):
        return queryset
    if signed_in(user) and user.organisation_ids:
        return queryset.filter(Q(is_public=True) | Q(members__in=user.organisation_ids)).distinct()
    return queryset.filter(is_public=True)


def can_see_contacts(user, network) -> bool:
    return can_manage_networks(user) or is_member(user, network)
