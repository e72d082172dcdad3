"""The dashboard's "needs attention" block: the person's alliances with a layer on watch or at
risk, weakest first, and the way into the portfolio."""

from typing import Any

from django import template

from alliances import portfolio

register = template.Library()

SHOWN = 3


@register.inclusion_tag("portfolio/includes/needs_attention.html", takes_context=True)
def needs_attention(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    found = portfolio.attention(user) if user.is_authenticated else []
    return {"attention": found[:SHOWN], "more": max(len(found) - SHOWN, 0), "total": len(found)}
