"""Small readers for rendered pages, so tests can say where an error appears."""

from __future__ import annotations

import re

from django.http import HttpResponse


def field_errors(response: HttpResponse, field: str) -> str:
    """The error text rendered next to one field (Django gives that list the id ``id_<field>_error``)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""


def non_field_errors(response: HttpResponse) -> str:
    html = response.content.decode()
    match = re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""
