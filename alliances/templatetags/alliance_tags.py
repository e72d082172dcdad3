from typing import Any

from django import template

from alliances.forms import ROLE_DESCRIPTIONS

register = template.Library()


@register.inclusion_tag("includes/role_guide.html")
def role_guide() -> dict[str, Any]:
    """A short explanation of what each role in an alliance does."""
    return {"role_descriptions": ROLE_DESCRIPTIONS}
