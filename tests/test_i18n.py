"""Two languages, English and French: chosen by the person, else by their browser.

- A signed-in person's language (profile) wins; left blank, the browser's (Accept-Language,
  or the language cookie set on the sign-in page) applies.
- Messages to people (notifications, emails) are written in the recipient's language.
- The French catalogue holds every marked message (read as makemessages reads them), each one
  translated, and the committed .mo is the compiled .po.
- No page shows text that escaped translation: every page is rendered with a marked catalogue
  (each translation wrapped in ⟦ ⟧), and what remains outside the marks must be data.
- No template holds text outside a translate tag.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import zoneinfo
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import django
import polib
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation.template import templatize

from alliances.models import Notification, NotificationKind, Role
from charters.escalations import escalation_raise

from .charters.escalation_data import adopt_charter
from .factories import RoleFactory, UserFactory
from .test_url_access import ADMIN_PREFIX, _fill, _routes, values  # noqa: F401 (a fixture)

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _sign_in(client: Any, person: Any, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])
    client.force_login(person)


# Choosing the language ------------------------------------------------------------------------


def test_a_person_who_chose_french_sees_the_dashboard_in_french(client, pilot):
    _sign_in(client, pilot.manager, "fr")

    response = client.get("/")
    page = response.content.decode()

    assert '<html lang="fr">' in page
    assert response["Content-Language"] == "fr"
    assert "Mes alliances" in page
    assert "My alliances" not in page


def test_a_person_who_chose_french_sees_an_alliance_in_french(client, pilot):
    _sign_in(client, pilot.manager, "fr")

    page = client.get(f"/alliances/{pilot.alliance.pk}/").content.decode()

    assert "Carte des intérêts" in page
    assert "Interest map" not in page


def test_a_blank_language_follows_the_browser(client, pilot):
    _sign_in(client, pilot.manager, "")

    french = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"}).content.decode()
    english = client.get("/", headers={"accept-language": "en-GB"}).content.decode()

    assert "Mes alliances" in french
    assert "My alliances" in english


def test_a_person_who_chose_english_reads_english_whatever_the_browser(client, pilot):
    _sign_in(client, pilot.manager, "en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get("/", headers={"accept-language": "fr"}).content.decode()

    assert '<html lang="en">' in page
    assert "My alliances" in page


def test_the_sign_in_page_follows_the_browser(client, db):
    page = client.get("/accounts/login/", headers={"accept-language": "fr"}).content.decode()

    assert '<html lang="fr">' in page
    assert "Se connecter" in page


def test_a_visitor_switches_language_on_the_sign_in_page(client, db):
    page = client.get("/accounts/login/", headers={"accept-language": "fr"}).content.decode()
    assert 'action="/i18n/setlang/"' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    again = client.get("/accounts/login/", headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="en">' in again
    assert "Sign in with your email address" in again


def test_the_language_switch_refuses_to_send_anyone_elsewhere(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_an_unknown_language_changes_nothing(client, db):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})

    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page


def test_the_api_answers_errors_in_the_persons_language(client, pilot):
    _sign_in(client, pilot.manager, "fr")

    missing = client.get("/api/v1/alliances/999999/")
    invalid = client.post(
        f"/api/v1/alliances/{pilot.alliance.pk}/partners/",
        {"resource_share": "abc"},
        content_type="application/json",
    )

    assert missing.status_code == 404
    assert missing.json() == {"detail": "Non trouvé."}  # not Django's English, naming the model
    assert invalid.json()["resource_share"] == ["Un nombre valide est requis."]


# Messages in the recipient's language ---------------------------------------------------------


def test_an_escalation_is_told_to_each_person_in_their_own_language(pilot):
    green_steering = UserFactory.create(email="steering@greenalliance.example", language="fr")
    RoleFactory.create(
        alliance=pilot.alliance, person=green_steering, kind=Role.Kind.STEERING_COMMITTEE,
        partner=pilot.greenalliance,
    )  # fmt: skip
    adopt_charter(pilot, green_steering)
    for person, language in ((pilot.manager, "fr"), (pilot.rep, "en"), (pilot.steering, "en")):
        person.language = language
        person.save(update_fields=["language"])

    with translation.override("en"):  # the person raising it reads English
        escalation_raise(
            alliance=pilot.alliance, by=pilot.rep, title="Data ownership", description="d",
            scope="strategy", partners=[pilot.techco, pilot.greenalliance],
        )  # fmt: skip

    told = Notification.objects.filter(kind=NotificationKind.ESCALATION).select_related("recipient")
    titles = {n.recipient.language: n.title for n in told}
    assert titles == {
        "fr": "Escalade ouverte : Data ownership",
        "en": "Escalation raised: Data ownership",
    }


# The catalogue --------------------------------------------------------------------------------


def _entries(catalogue: polib._BaseFile) -> dict[tuple[str | None, str], Any]:
    """What msgfmt compiles: translated entries, fuzzy ones left out (as ``polib`` reads them)."""
    return {
        (e.msgctxt, e.msgid): (
            tuple((int(n), text) for n, text in sorted(e.msgstr_plural.items()))
            if e.msgid_plural
            else e.msgstr
        )
        for e in catalogue
        if e.msgid
        and not e.obsolete
        and "fuzzy" not in e.flags
        and (e.msgstr or any(e.msgstr_plural.values()))
    }


def test_every_french_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    missing = [e for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]

    assert not missing, f"{len(missing)} messages need a French translation in {PO}:\n" + "\n".join(
        f"  {'fuzzy' if e.fuzzy else 'untranslated'}: {e.msgid!r} "
        f"({', '.join(f'{path}:{line}' for path, line in e.occurrences[:2])})"
        for e in missing
    )


# The functions that mark a message, by how their arguments read: c = context, m = message.
MARKERS = {
    "gettext": "m", "gettext_lazy": "m", "gettext_noop": "m",
    "ngettext": "mm", "ngettext_lazy": "mm",
    "pgettext": "cm", "pgettext_lazy": "cm", "npgettext": "cmm", "npgettext_lazy": "cmm",
}  # fmt: skip
SOURCES = ("alliances", "charters", "trustaccount", "config")


def _marked_in_python(path: Path) -> Iterator[tuple[str | None, str, int]]:
    """Messages marked with django.utils.translation's functions, under any alias."""
    tree = ast.parse(path.read_text())
    aliases = {
        name.asname or name.name: name.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for name in node.names
        if name.name in MARKERS
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            shape = MARKERS.get(aliases.get(node.func.id, ""), "")
            texts = [a.value for a in node.args[: len(shape)] if isinstance(a, ast.Constant)]
            strings = [text for text in texts if isinstance(text, str)]
            if shape and len(strings) == len(shape):
                context = strings[0] if shape.startswith("c") else None
                yield context, strings[shape.index("m")], node.lineno


def _marked_in_template(path: Path) -> Iterator[tuple[str | None, str, int]]:
    """What makemessages reads in a template: Django's own rewriting of it as gettext calls."""
    code = templatize(path.read_text(), origin=str(path))
    for number, line in enumerate(code.splitlines(), 1):  # each call stands on one line
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip()).readline))
        for i, token in enumerate(tokens):
            # {{ value|default:_("none") }} stays as _("none").
            shape = (
                {**MARKERS, "_": "m"}.get(token.string, "") if token.type == tokenize.NAME else ""
            )
            if shape and tokens[i + 1].string == "(":
                strings = tokens[i + 2 : i + 2 + 2 * len(shape) : 2]
                texts = [ast.literal_eval(t.string) for t in strings]
                yield (texts[0] if shape.startswith("c") else None), texts[shape.index("m")], number


def test_every_marked_message_is_in_the_french_catalogue():
    """A message marked after the last makemessages run would show in English."""
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    places = [
        (path, _marked_in_python)
        for source in SOURCES
        for path in sorted((BASE / source).rglob("*.py"))
        if "migrations" not in path.parts
    ] + [(path, _marked_in_template) for path in sorted((BASE / "templates").rglob("*.*"))]
    missing = {
        (context, msgid): f"{path.relative_to(BASE)}:{line}"
        for path, read in places
        for context, msgid, line in read(path)
        if (context, msgid) not in known
    }

    assert not missing, (
        f"{len(missing)} marked messages are not in {PO.name}: run "
        "`manage.py makemessages -l fr`, then translate them:\n"
        + "\n".join(f"  {msgid!r} ({place})" for (_c, msgid), place in missing.items())
    )


def test_the_committed_mo_is_the_compiled_po():
    """msgfmt is not on every machine, so the .mo is committed: it must match the .po."""
    po, mo = _entries(polib.pofile(str(PO))), _entries(polib.mofile(str(MO)))

    stale = sorted(
        (key for key in po.keys() | mo.keys() if po.get(key) != mo.get(key)),
        key=lambda key: key[1],
    )
    assert not stale, "Run `manage.py compilemessages`; the .mo differs from the .po for:\n" + (
        "\n".join(f"  {msgid!r}" for _context, msgid in stale)
    )


# No page shows text that escaped translation --------------------------------------------------

OPEN, CLOSE = "\u27e6", "\u27e7"
BRAND = "Alliance Keeper"


def _catalogues() -> Iterator[Path]:
    """The French catalogues Django merges: the project's, then Django's, then each app's."""
    yield MO
    yield Path(django.__file__).parent / "conf" / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    for app in apps.get_app_configs():
        yield Path(app.path) / "locale" / "fr" / "LC_MESSAGES" / "django.mo"


def _marked_catalogue(root: Path) -> Path:
    """One French catalogue in which every translation is wrapped in ⟦ ⟧."""
    marked = polib.POFile()
    seen = set()
    for path in _catalogues():
        if not path.exists():
            continue
        catalogue = polib.mofile(str(path))
        marked.metadata = marked.metadata or catalogue.metadata
        for entry in catalogue:
            if not entry.msgid or (entry.msgctxt, entry.msgid) in seen:
                continue
            seen.add((entry.msgctxt, entry.msgid))
            marked.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr=OPEN + entry.msgstr + CLOSE if entry.msgstr else "",
                    msgstr_plural={n: OPEN + s + CLOSE for n, s in entry.msgstr_plural.items()},
                )
            )
    folder = root / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    marked.save_as_mofile(str(folder / "django.mo"))
    return root


class _VisibleText(HTMLParser):
    """The text a person reads, in document order: text nodes and labelling attributes."""

    READ = {"title", "aria-label", "placeholder", "alt", "hx-confirm"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style")
        button = dict(attrs).get("type") in ("submit", "button")
        self.parts += [v for k, v in attrs if v and (k in self.READ or (k == "value" and button))]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data)


def _data_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str) and len(value) > 2:
        yield value
        yield from (line.strip() for line in value.splitlines() if line.strip())
    elif isinstance(value, dict):
        for item in value.values():
            yield from _data_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _data_strings(item)


def _data() -> list[str]:
    """What people typed (names, statements, ladder levels...), and time zone names."""
    found = {BRAND, *zoneinfo.available_timezones()}
    texts = (models.CharField, models.TextField, models.JSONField)
    for model in apps.get_models():
        if model._meta.app_label not in ("alliances", "charters", "trustaccount"):
            continue
        fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, texts) and not f.choices
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            for value in row:
                found.update(_data_strings(value))
    return sorted(found, key=len, reverse=True)


def _untranslated(html: str, data: list[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    while (unwrapped := re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)) != text:
        text = unwrapped  # translations inside translations, innermost first
    for value in data:
        if value in text:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    return [line.strip() for line in text.splitlines() if re.search(r"[A-Za-z]{2}", line)]


def test_no_page_shows_text_that_escaped_translation(client, pilot, values, tmp_path, settings):  # noqa: F811
    settings.LOCALE_PATHS = [str(_marked_catalogue(tmp_path))]
    _sign_in(client, pilot.manager, "fr")
    client.raise_request_exception = False
    data = _data()
    pages_by_text: dict[str, list[str]] = {}
    for route in _routes():
        if route.template.startswith((ADMIN_PREFIX, "api/")) or "token" in route.kwargs:
            continue
        url = _fill(route, values)
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            for text in dict.fromkeys(_untranslated(response.content.decode(), data)):
                pages_by_text.setdefault(text, []).append(url)

    assert len(data) > 100  # the walk's fixtures are there
    found = [
        f"  {text!r} on {pages[0]}" + (f" and {len(pages) - 1} more" if pages[1:] else "")
        for text, pages in sorted(pages_by_text.items())
    ]
    assert not found, (
        f"{len(found)} texts on pages are outside the French catalogue (mark them for "
        "translation, or translate them):\n" + "\n".join(found[:100])
    )


# No template holds text outside a translate tag -----------------------------------------------

_IGNORED = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}"
    r"|<(script|style)\b.*?</\1>",
    re.S,
)
_TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_READ_ATTRIBUTE = re.compile(r'\b(?:title|aria-label|placeholder|alt|hx-confirm)="([^"]*)"')
# Class names given in a block ({% block main_class %} container--narrow), not words.
_IDENTIFIER = re.compile(r"[a-z0-9_-]+")


def _lines_with_bare_text(source: str) -> Iterator[tuple[int, str]]:
    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group().count("\n")

    source = _IGNORED.sub(blank, source)
    for match in _READ_ATTRIBUTE.finditer(source):
        if re.search(r"[A-Za-z]{2}", _TEMPLATE_TAG.sub("", match.group(1))):
            yield source[: match.start()].count("\n") + 1, match.group()
    # Template tags first: a tag may hold ">" ({% if a > b %}) that would end an HTML tag.
    text = _HTML_TAG.sub(blank, _TEMPLATE_TAG.sub(lambda m: "\0" + blank(m), source))
    for number, line in enumerate(text.splitlines(), 1):
        for piece in line.replace(BRAND, "").split("\0"):
            piece = re.sub(r"&\w+;|&#\d+;", "", piece).strip(" ·—:")
            if re.search(r"[A-Za-z]{2}", piece) and not _IDENTIFIER.fullmatch(piece):
                yield number, piece


def test_no_template_holds_text_outside_a_translate_tag():
    templates = BASE / "templates"
    bare = [
        f"{path.relative_to(BASE)}:{number}: {text}"
        for path in sorted([*templates.rglob("*.html"), *templates.rglob("*.txt")])
        for number, text in _lines_with_bare_text(path.read_text())
    ]

    assert not bare, "Wrap these in {% translate %} or {% blocktranslate %}:\n" + "\n".join(bare)


def test_a_page_leaves_the_thread_in_the_default_language_and_zone(client, pilot):
    """The next request on this thread may be someone else's."""
    from django.utils import timezone, translation

    pilot.manager.language = "fr"
    pilot.manager.time_zone = "Pacific/Auckland"
    pilot.manager.save()
    client.force_login(pilot.manager)
    response = client.get("/")
    assert response.headers["Content-Language"] == "fr"
    assert translation.get_language() != "fr"
    assert timezone.get_current_timezone_name() != "Pacific/Auckland"
