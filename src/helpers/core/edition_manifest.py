"""Which editions exist: the edition manifest `edities.yml`, checked and resolved.

The manifest declares the national edition and the editions of the
institutions: their titles, their benchmarks and the pages they add to the
shared chapters of `_toc.yml`. `load_manifest` checks the whole file and
reports every problem at once; `resolve` turns it, with the institutions
file, into the list of `Edition`s the build makes; `edition_toc` and
`edition_chapters` give the table of contents and chapter list of one
edition, from which its book is assembled (see `helpers.pipeline.render`).
"""
from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers.core.paths import PROJECT_ROOT

MANIFEST_FILE = "edities.yml"
TOC_FILE = "_toc.yml"
CONFIG_FILE = "_config.yml"
NATIONAL = "landelijk"
SAME_TYPE = "zelfde_type"
BENCHMARKS = (SAME_TYPE, NATIONAL)
TITLE_FIELDS = ("instelling", "naam", "type")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser, where libyaml is there: 10x faster
_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    institution_name: str | None = None
    institution_type: str | None = None
    benchmarks: tuple[str, ...] = ()
    extra_parts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (caption, chapters) after the shared chapters

    @property
    def is_national(self) -> bool:
        return self.id == NATIONAL


class InvalidEditionManifest(ValueError):
    """The edition manifest has problems; all of them are listed."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"Het editiemanifest {self.path} klopt niet ({len(self.problems)} probleem/problemen):"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("Er is niets gebouwd.")
        return "\n".join(lines)


@functools.lru_cache(maxsize=16)
def _parsed_yaml(text: str):
    return yaml.load(text, Loader=SAFE_LOADER)


def _read_yaml(path: Path):
    """The YAML file at `path`, parsed once per content: every chapter of an edition reads the TOC and manifest."""
    return copy.deepcopy(_parsed_yaml(path.read_text(encoding="utf-8")))


def shared_chapters(root: Path = PROJECT_ROOT) -> list[str]:
    """Notebook paths (without suffix) in the order of `_toc.yml`: the chapters of every edition."""
    toc = _read_yaml(root / TOC_FILE)
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def _check_keys(where: str, entry: dict, allowed: set[str], required: set[str], problems: list[str]) -> None:
    for key in sorted(set(entry) - allowed):
        problems.append(f"{where}: onbekende sleutel '{key}' (toegestaan: {', '.join(sorted(allowed))})")
    for key in sorted(required - set(entry)):
        problems.append(f"{where}: de sleutel '{key}' ontbreekt")


def _check_title(where: str, title, problems: list[str]) -> None:
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}.titel: moet een niet-lege tekst zijn")
        return
    for field in _FIELD.findall(title):
        if field not in TITLE_FIELDS:
            problems.append(f"{where}.titel: onbekend veld '{{{field}}}' (kies uit "
                            + ", ".join(f"{{{f}}}" for f in TITLE_FIELDS) + ")")


def _check_benchmarks(where: str, benchmarks, allowed: tuple[str, ...], problems: list[str]) -> None:
    if not isinstance(benchmarks, list):
        problems.append(f"{where}.benchmarks: moet een lijst zijn (eventueel leeg: [])")
        return
    for b in benchmarks:
        if b not in allowed:
            problems.append(f"{where}.benchmarks: onbekende benchmark '{b}'"
                            + (f" (kies uit {', '.join(allowed)})" if allowed else " (deze editie heeft er geen)"))
    if len(set(map(str, benchmarks))) != len(benchmarks):
        problems.append(f"{where}.benchmarks: een benchmark staat er twee keer in")


def _check_parts(where: str, parts, root: Path, problems: list[str]) -> None:
    if not isinstance(parts, list):
        problems.append(f"{where}.extra_delen: moet een lijst van delen zijn")
        return
    shared = set(shared_chapters(root))
    seen: set[str] = set()
    for i, part in enumerate(parts, 1):
        here = f"{where}.extra_delen[{i}]"
        if not isinstance(part, dict):
            problems.append(f"{here}: moet 'titel' en 'hoofdstukken' hebben")
            continue
        _check_keys(here, part, {"titel", "hoofdstukken"}, {"titel", "hoofdstukken"}, problems)
        if "titel" in part and (not isinstance(part["titel"], str) or not part["titel"].strip()):
            problems.append(f"{here}.titel: moet een niet-lege tekst zijn")
        chapters = part.get("hoofdstukken", [])
        if not isinstance(chapters, list) or not chapters:
            problems.append(f"{here}.hoofdstukken: moet een niet-lege lijst van notebooks zijn")
            continue
        for chapter in chapters:
            if not isinstance(chapter, str) or not (root / f"{chapter}.ipynb").exists():
                problems.append(f"{here}.hoofdstukken: notebook '{chapter}.ipynb' bestaat niet")
            elif chapter in shared or chapter in seen:
                problems.append(f"{here}.hoofdstukken: '{chapter}' staat al in het boek")
            seen.add(str(chapter))


def load_manifest(path: Path | None = None, root: Path = PROJECT_ROOT) -> dict:
    """The edition manifest, checked; raises `InvalidEditionManifest` listing every problem."""
    path = Path(path) if path is not None else root / MANIFEST_FILE
    try:
        manifest = _read_yaml(path)
    except OSError as err:
        raise InvalidEditionManifest(path, [f"het bestand is niet te lezen ({err.strerror})"]) from None
    except yaml.YAMLError as err:
        raise InvalidEditionManifest(path, [f"geen geldige YAML: {err}"]) from None
    problems: list[str] = []
    if not isinstance(manifest, dict):
        raise InvalidEditionManifest(path, ["het bestand moet de sleutels 'landelijk' en 'instelling' bevatten"])
    _check_keys("het manifest", manifest, {NATIONAL, "instelling"}, {NATIONAL}, problems)
    national = manifest.get(NATIONAL)
    if isinstance(national, dict):
        _check_keys(NATIONAL, national, {"titel", "benchmarks", "extra_delen"}, {"titel"}, problems)
        if "titel" in national:
            _check_title(NATIONAL, national["titel"], problems)
            if isinstance(national["titel"], str) and _FIELD.search(national["titel"]):
                problems.append(f"{NATIONAL}.titel: de landelijke editie heeft geen instellingsvelden")
        _check_benchmarks(NATIONAL, national.get("benchmarks", []), (), problems)
        _check_parts(NATIONAL, national.get("extra_delen", []), root, problems)
    elif NATIONAL in manifest:
        problems.append(f"{NATIONAL}: moet sleutels als 'titel' bevatten")
    institution = manifest.get("instelling")
    if isinstance(institution, dict):
        _check_keys("instelling", institution, {"voor", "titel", "benchmarks", "extra_delen"},
                    {"voor", "titel", "benchmarks"}, problems)
        which = institution.get("voor", "alle")
        if not (which == "alle" or (isinstance(which, list) and all(isinstance(c, str) for c in which))):
            problems.append("instelling.voor: moet 'alle' zijn of een lijst van instellingscodes")
        if "titel" in institution:
            _check_title("instelling", institution["titel"], problems)
        _check_benchmarks("instelling", institution.get("benchmarks", []), BENCHMARKS, problems)
        _check_parts("instelling", institution.get("extra_delen", []), root, problems)
    elif "instelling" in manifest and institution is not None:
        problems.append("instelling: moet sleutels als 'voor' en 'titel' bevatten")
    if problems:
        raise InvalidEditionManifest(path, problems)
    manifest["_path"] = str(path)
    return manifest


def _parts(entry: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((p["titel"], tuple(p["hoofdstukken"])) for p in entry.get("extra_delen", []) or [])


def resolve(manifest: dict, institutions: Iterable[Mapping]) -> list[Edition]:
    """The editions the manifest declares for these institutions (records: instelling, naam, type):
    national first, then by code."""
    national = manifest[NATIONAL]
    editions = [Edition(NATIONAL, national["titel"], benchmarks=(), extra_parts=_parts(national))]
    entry = manifest.get("instelling")
    if not entry:
        return editions
    rows = sorted(({field: str(row[field]) for field in TITLE_FIELDS} for row in institutions),
                  key=lambda row: row["instelling"])
    if entry["voor"] != "alle":
        unknown = sorted(set(entry["voor"]) - {row["instelling"] for row in rows})
        if unknown:
            raise InvalidEditionManifest(Path(manifest["_path"]), [
                f"instelling.voor: {', '.join(unknown)} staat/staan niet in het instellingenbestand"])
        rows = [row for row in rows if row["instelling"] in entry["voor"]]
    for fields in rows:
        title = _FIELD.sub(lambda m: fields[m.group(1)], entry["titel"])
        editions.append(Edition(fields["instelling"], title, fields["naam"], fields["type"],
                                benchmarks=tuple(entry["benchmarks"]), extra_parts=_parts(entry)))
    return editions


def edition_chapters(edition: Edition, root: Path = PROJECT_ROOT) -> list[str]:
    """Every notebook of the edition, in reading order."""
    return shared_chapters(root) + [c for _, chapters in edition.extra_parts for c in chapters]


def chapters_for(edition_id: str, root: Path = PROJECT_ROOT) -> list[str]:
    """Every notebook of the edition with this id (national, or any institution), in reading order."""
    manifest = load_manifest(root=root)
    entry = manifest[NATIONAL] if edition_id == NATIONAL else manifest.get("instelling") or {}
    return edition_chapters(Edition(edition_id, "", extra_parts=_parts(entry)), root)


def edition_toc(edition: Edition, root: Path = PROJECT_ROOT) -> dict:
    """The edition's `_toc.yml`: the shared chapters, then the edition's own parts."""
    toc = _read_yaml(root / TOC_FILE)
    for caption, chapters in edition.extra_parts:
        toc.setdefault("parts", []).append({"caption": caption, "chapters": [{"file": c} for c in chapters]})
    return toc
