"""Alliance health on pages whose views do not compute it: the alliance overview (its state
per layer, the guide's warnings, the next moves and the advice) and a review opened early."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils import timezone

from alliances.health import Advice, Health, Layer, advice_for, assess
from alliances.models import Alliance, Review, ReviewTrigger

register = template.Library()


@dataclass(frozen=True)
class Overview:
    health: Health
    advice: list[Advice]


@register.simple_tag
def health_overview(alliance: Alliance) -> Overview:
    """Everything the overview shows of the alliance's health, assessed once."""
    now = timezone.now()
    return Overview(assess(alliance, now), advice_for(alliance, now))


@register.simple_tag
def review_triggers(review: Review) -> list[ReviewTrigger]:
    """The conditions that opened this review early, or joined it while it was open."""
    return list(review.triggers.all())


@register.filter
def trigger_layer(trigger: ReviewTrigger) -> str:
    """The layer a "layer turned at risk" condition names, so the page can link to it."""
    kind, _sep, layer = trigger.key.partition(":")
    return layer if kind == "layer" and layer in Layer.values else ""
