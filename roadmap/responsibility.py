"""Who answers for an item: the executors the plan names, resolved to the network's organisations.

The executor that leads (`Executor.leads`, the first named, or the first single organisation after a kind of them,
see roadmap.source.executors_parse) files the item's report; an item whose executors are all kinds of organisation
(«Общеобразовательные организации…, Управления образования…») is led by the plan's owner, the ministry. Every other
linked executor contributes: the one organisation it names, or every active organisation of its kinds — unless the
item's figure providers say those report through a form of their own (roadmap.figures, «contributions elsewhere»).

`Network` loads what the resolution needs once (the single organisations by kind, how many of each kind there
are), so a plan of 46 items is resolved with two queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from orgs.models import Organization
from roadmap.figures import figure_providers
from roadmap.models import Executor, Item

MINISTRY = Organization.Kind.MINISTRY
# Kinds of which the network holds one organisation: an executor naming one of them names that organisation.
SINGLE_KINDS = (Organization.Kind.MINISTRY, Organization.Kind.REGIONAL_OPERATOR)
KIND_LABELS = {
    Organization.Kind.SCHOOL: "все общеобразовательные организации",
    Organization.Kind.MUNICIPAL_DEPARTMENT: "все муниципальные органы управления образованием",
    Organization.Kind.COLLEGE: "все организации СПО",
    Organization.Kind.UNIVERSITY: "все организации высшего образования",
    Organization.Kind.EMPLOYER: "все предприятия-партнёры",
    Organization.Kind.ADDITIONAL_EDUCATION: "все организации дополнительного образования",
}


class Network:
    """The organisations the executors resolve to, read once."""

    def __init__(self):
        singles = Organization.objects.filter(kind__in=SINGLE_KINDS, is_active=True).order_by("pk")
        self.single: dict[str, Organization] = {}
        for organization in singles:
            self.single.setdefault(organization.kind, organization)
        totals = (
            Organization.objects.filter(is_active=True).order_by().values("kind").annotate(total=Count("pk")).values_list("kind", "total")
        )
        self.counts: Counter[str] = Counter(dict(totals))

    @property
    def ministry(self) -> Organization | None:
        return self.single.get(MINISTRY)

    def organization(self, executor: Executor) -> Organization | None:
        """The one organisation an executor names (None for a kind of them or one the network lacks)."""
        if executor.organization_id:
            return executor.organization
        if executor.every or not executor.kinds:
            return None
        return self.single.get(executor.kinds[0])


@dataclass
class Responsibility:
    item: Item
    lead: Organization | None
    lead_text: str  # how the plan names the lead (or why the ministry leads)
    contributors: list[Organization] = field(default_factory=list)  # single organisations
    kinds: tuple[str, ...] = ()  # every active organisation of these kinds contributes
    kind_totals: dict[str, int] = field(default_factory=dict)  # how many organisations of each kind that is
    elsewhere: str = ""  # where the kind-wide executors report instead

    @property
    def lead_id(self) -> int | None:
        return self.lead.pk if self.lead else None

    @property
    def kind_total(self) -> int:
        return sum(self.kind_totals.values())

    @property
    def expected_contributions(self) -> int:
        return len(self.contributors) + self.kind_total

    def answers(self, organization: Organization) -> str | None:
        """ "lead", "contribution" or None: how this organisation answers for the item."""
        if self.lead is not None and organization.pk == self.lead.pk:
            return "lead"
        if any(c.pk == organization.pk for c in self.contributors):
            return "contribution"
        if organization.is_active and organization.kind in self.kinds:
            return "contribution"
        return None

    def executor_keys(self) -> set[str]:
        """The filter values the item matches on «by executor»: each organisation and each kind."""
        keys = {f"org:{o.pk}" for o in ([self.lead] if self.lead else []) + self.contributors}
        keys |= {f"kind:{kind}" for kind in self.kinds}
        return keys


def responsibility(item: Item, network: Network, executors: list[Executor] | None = None) -> Responsibility:
    executors = list(item.executors.all()) if executors is None else executors
    elsewhere = figure_providers.elsewhere(item.code)
    lead_executor = next((e for e in executors if e.leads), None)
    lead = network.organization(lead_executor) if lead_executor else None
    if lead_executor is not None and lead is not None:
        lead_text = lead_executor.text
    else:
        lead = network.ministry
        lead_text = "Минобрнауки РСО-Алания (сводит отчёты как заказчик дорожной карты)"
    contributors: list[Organization] = []
    kinds: list[str] = []
    for executor in executors:
        if executor is lead_executor or not executor.is_linked:
            continue
        single = network.organization(executor)
        if single is not None:
            if single.pk != (lead.pk if lead else None) and all(c.pk != single.pk for c in contributors):
                contributors.append(single)
        elif executor.every and not elsewhere:
            kinds.extend(kind for kind in executor.kinds if kind not in kinds)
    kind_totals = {kind: network.counts.get(kind, 0) - (1 if lead is not None and lead.kind == kind else 0) for kind in kinds}
    return Responsibility(
        item=item,
        lead=lead,
        lead_text=lead_text,
        contributors=contributors,
        kinds=tuple(kinds),
        kind_totals=kind_totals,
        elsewhere=elsewhere,
    )


def plan_responsibilities(items: list[Item], network: Network | None = None) -> dict[int, Responsibility]:
    """Each item's responsibility; the items should come with their executors prefetched."""
    network = network or Network()
    return {item.pk: responsibility(item, network, list(item.executors.all())) for item in items}


def kinds_text(kinds) -> str:
    return ", ".join(KIND_LABELS.get(kind, kind) for kind in kinds)
