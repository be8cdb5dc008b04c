"""What the tests of concurrent edits share (issue 16, part 5): an edit form as a browser
loaded it, ready to change and send, and the message of a conflict."""

import datetime

CONFLICT = "Joku muu tallensi nämä tiedot sillä välin, kun muokkasit niitä"


def as_post(form):
    """What a browser sends of `form` (a form or a formset's management form) unchanged."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[field.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        else:
            data[field.html_name] = str(value)
    return data


def loaded(client, url, *formsets):
    """The edit form as `client` loaded it (with the formsets of the context names
    given, or of a `formsets` mapping in the context): its data, ready to change and send."""
    response = client.get(url)
    assert response.status_code == 200
    data = as_post(response.context["form"])
    found = [response.context[name] for name in formsets]
    found += list((response.context.get("formsets") or {}).values())
    for formset in found:
        data.update(as_post(formset.management_form))
        for form in formset.forms:
            data.update(as_post(form))
    return data
