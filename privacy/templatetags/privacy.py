"""`{% consent_prompt student "purpose" %}`: the right prompt for the person looking when a capability got «ask» (or
«no») from privacy.policy.may_process — whose decision is missing and where to give it."""

from django import template

from access.policy import viewer_for

register = template.Library()


@register.inclusion_tag("privacy/_consent_prompt.html", takes_context=True)
def consent_prompt(context, student, purpose: str) -> dict:
    from privacy.selectors import consent_prompt as prompt_for

    request = context.get("request")
    if request is None or student is None:
        return {"prompt": None}
    return {"prompt": prompt_for(viewer=viewer_for(request.user), student=student, purpose=purpose)}
