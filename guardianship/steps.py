"""The workflow's steps, each declared once: its name, who may take it, from which states,
the form it needs and the service function that takes it.

received → searching → proposed → consent given → application filed → appointed → ended,
or cancelled before appointment; while open, a request can be transferred to another team.
`guardianship.policies.can_take` answers who may take a
step now; `guardianship.services` holds the functions; the views look a step up here,
validate its form and call its function. The timeline (`RequestEvent.action`), the demo
data and the statistics' milestones name steps with `StepName`.
"""

from dataclasses import dataclass

from guardianship import forms
from guardianship.enums import QUEUE_STATES, Actor, State, StepName


@dataclass(frozen=True)
class Step:
    name: StepName
    from_states: frozenset
    actors: frozenset
    # The function's name in guardianship.services: it takes the request (or, for an
    # answer to a proposal, the assignment), `by=` and the form's cleaned data.
    service: str
    form: type | None = None
    on_assignment: bool = False

    @property
    def label(self):
        return self.name.label

    def take(self, target, *, by, data=None):
        from guardianship import services  # the services read this registry

        return getattr(services, self.service)(target, by=by, **(data or {}))


def _step(name, from_states, actors, service, form=None, **kwargs):
    return name, Step(name, frozenset(from_states), frozenset(actors), service, form, **kwargs)


C, S, G, L = Actor.COORDINATOR, Actor.SOCIAL_WORKER, Actor.GUARDIAN, Actor.TEAM_LEADER
STEPS = dict(
    [
        _step(StepName.SUBMIT, [State.DRAFT], [S], "submit_request"),
        _step(StepName.START_SEARCH, [State.RECEIVED], [C], "start_search"),
        _step(
            StepName.PROPOSE,
            [State.RECEIVED, State.SEARCHING],
            [C],
            "propose_guardian",
            forms.ProposeForm,
        ),
        _step(StepName.WITHDRAW, [State.PROPOSED], [C], "withdraw_proposal"),
        _step(StepName.ACCEPT, [State.PROPOSED], [G, C], "accept_proposal", on_assignment=True),
        _step(
            StepName.DECLINE,
            [State.PROPOSED],
            [G, C],
            "decline_proposal",
            forms.ReasonForm,
            on_assignment=True,
        ),
        _step(
            StepName.FILE_APPLICATION,
            [State.CONSENT_GIVEN],
            [S, C],
            "file_application",
            forms.FileApplicationForm,
        ),
        _step(
            StepName.RECORD_APPOINTMENT,
            [State.APPLICATION_FILED],
            [S, C, G],
            "record_appointment",
            forms.AppointmentForm,
        ),
        _step(StepName.END, [State.APPOINTED], [S, C, G], "end_request", forms.EndForm),
        _step(
            StepName.CANCEL,
            [
                State.DRAFT,
                State.RECEIVED,
                State.SEARCHING,
                State.PROPOSED,
                State.CONSENT_GIVEN,
                State.APPLICATION_FILED,
            ],
            [S, C],
            "cancel_request",
            forms.ReasonForm,
        ),
        _step(
            StepName.REASSIGN,
            [State.CONSENT_GIVEN, State.APPLICATION_FILED, State.APPOINTED],
            [C],
            "reassign_guardian",
            forms.ReassignForm,
        ),
        # A worker hands over their case, a team leader spreads the work, a coordinator
        # gives a request filed before 2023 to the team that now serves the child.
        _step(StepName.TRANSFER, QUEUE_STATES, [S, L, C], "transfer_request", forms.TransferForm),
    ]
)
