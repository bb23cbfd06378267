"""Build pipeline/resources/clubs.jsonl, the club and national-team gazetteer.

Sources, all read at run time (nothing is copied into the repository):

* openfootball clubs (CC0): ``europe/<country>/*.clubs.txt`` in Football.TXT format
  (``Name, founded, City`` then ``| alias | alias`` lines) and ``europe/clubs.wiki.txt``
  (names only) for the countries without a detailed file;
* openfootball results (CC0): team names of the domestic top leagues and the Champions
  League from RECENT_SEASON on, which also give each club its current league;
* ``pipeline/resources/clubs/countries.csv``: national teams under their Dutch names;
* ``pipeline/resources/club_aliases_nl.jsonl``: hand-curated Dutch/Flemish press names.

Run ``.venv/bin/python scripts/build_gazetteer.py`` (``make gazetteer``); ``--check`` only
compares with the committed file. The output is sorted, so rebuilding is byte-identical.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import clubs
from pipeline.settings import PROJECT_ROOT, openfootball_dir

logger = logging.getLogger("build_gazetteer")

OUTPUT = PROJECT_ROOT / "pipeline" / "resources" / clubs.GAZETTEER_FILE
CURATED = PROJECT_ROOT / "pipeline" / "resources" / "club_aliases_nl.jsonl"
RECENT_SEASON = "2017-18"
_DEFUNCT = re.compile(r"\(\s*\d{4}\s*-\s*\d{4}\s*\)")
_PAREN = re.compile(r"\s*\([^)]*\)")
_LANG = re.compile(r"\s*\[(\w\w)\]\s*$")
_CODE = re.compile(r"^(.*?)\s*\(([A-Z]{3})\)$")
_CURATED_KEYS = {
    "name", "country", "kind", "match", "aliases", "ambiguous_aliases",
    "context_aliases", "drop_aliases", "default_for", "league",
}  # fmt: skip


@dataclass
class Draft:
    """A gazetteer entry under construction."""

    name: str
    country: str
    kind: str = "club"
    league: str | None = None
    aliases: set[str] = field(default_factory=set)
    ambiguous: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)
    default_for: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)

    def names(self) -> set[str]:
        """The name and every alias."""
        return {self.name, *self.aliases}


# --------------------------------------------------------------------------- names and keys


def affixes() -> frozenset[str]:
    """Legal-form words (FC, SV, ...) in the case-insensitive form used by :func:`keys`."""
    return frozenset(w.lower().replace(".", "") for w in clubs.read_word_list("club_affixes.txt"))


def words(name: str) -> list[str]:
    """Lowercased, diacritic-free words of a name, with dots inside abbreviations removed."""
    flat = clubs.fold(name).lower().replace(".", "").replace("_", " ")
    return re.findall(r"\w+", flat)


def bare(name: str, legal: frozenset[str]) -> str:
    """The name without leading/trailing legal-form words ("KV Mechelen" -> "Mechelen"), or "".

    A remainder that starts in lower case ("de Liège") is no name: "" then.
    """
    parts = name.split()
    while parts and parts[0].lower().replace(".", "") in legal:
        parts = parts[1:]
    while parts and parts[-1].lower().replace(".", "") in legal:
        parts = parts[:-1]
    result = " ".join(parts)
    return result if result[:1].isupper() or result[:1].isdigit() else ""


def keys(name: str, legal: frozenset[str]) -> set[str]:
    """Comparison keys of a name: its words with and without legal-form words."""
    full = words(name)
    stripped = [w for w in full if w not in legal]
    return {" ".join(k) for k in (full, stripped) if k}


# --------------------------------------------------------------------------- openfootball clubs


def _alias_items(line: str) -> Iterator[str]:
    """Aliases of a ``| a | b [de]`` line; names tagged with a language other than Dutch are skipped."""
    for item in line.split("|"):
        item = item.strip()
        lang = _LANG.search(item)
        if lang:
            if lang.group(1) != "nl":
                continue
            item = item[: lang.start()].strip()
        if item:
            yield item


def _club_line(line: str) -> tuple[str, list[str]] | None:
    """Name and place names of a club line, or None for a defunct club."""
    fields = [f.strip() for f in line.split(",")]
    if _DEFUNCT.search(fields[0]) or any(_DEFUNCT.search(f) for f in fields[1:2]):
        return None
    name = _PAREN.sub("", fields[0]).strip()
    places = []
    rest = [f for f in fields[1:] if f and not f.isdigit() and not f.startswith("@")]
    if rest:
        city = rest[-1].split("›")[0].strip()
        town = _PAREN.sub("", city).strip()
        places.append(town)
        places.extend(m.strip() for m in re.findall(r"\(([^)]*)\)", city))
        parts = town.split()
        if len(parts) > 1 and parts[1][:1].islower():  # "Frankfurt am Main", "Newcastle upon Tyne"
            places.append(parts[0])
    return name, [p for p in places if p]


def parse_clubs_txt(text: str) -> tuple[list[Draft], set[str]]:
    """Clubs and place names of one Football.TXT clubs file (reserve teams and defunct clubs left out)."""
    drafts: list[Draft] = []
    places: set[str] = set()
    country, current = "", None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("="):
            heading = stripped.strip("= ").split("•")[0].strip()
            if not stripped.startswith("==") and heading:
                country = heading
            continue
        if stripped.startswith("|"):
            if current is not None:
                current.aliases.update(_alias_items(stripped))
            continue
        if line[0].isspace() or stripped.startswith("ii)"):
            current = None if stripped.startswith("ii)") else current
            continue
        parsed = _club_line(stripped)
        current = None
        if parsed:
            current = Draft(parsed[0], country)
            drafts.append(current)
            places.update(parsed[1])
    return drafts, places


def parse_wiki(text: str, skip: set[str], legal: frozenset[str]) -> list[Draft]:
    """Clubs of ``clubs.wiki.txt`` (Wikipedia titles) for countries not in ``skip``, sans legal form."""
    drafts, country = [], ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("="):
            heading = line.strip("= ").split("•")[0].strip()
            country = heading or country
        elif line and country not in skip:
            name = _PAREN.sub("", line.replace("_", " ")).strip()
            drafts.append(Draft(bare(name, legal) or name, country, aliases={name}))
    return drafts


def openfootball_clubs(root: Path) -> tuple[list[Draft], set[str]]:
    """All clubs of the detailed country files plus the wiki list, and all club places."""
    drafts: list[Draft] = []
    places: set[str] = set()
    for path in sorted((root / "clubs" / "europe").glob("*/*.clubs.txt")):
        found, where = parse_clubs_txt(path.read_text(encoding="utf-8"))
        drafts.extend(found)
        places |= where
    detailed = {d.country for d in drafts}
    wiki = root / "clubs" / "europe" / "clubs.wiki.txt"
    drafts.extend(parse_wiki(wiki.read_text(encoding="utf-8"), detailed, affixes()))
    logger.info("openfootball clubs: %d clubs, %d places", len(drafts), len(places))
    return drafts, places


# --------------------------------------------------------------------------- registry


class Registry:
    """Drafts with a key index, so that names from other sources find their club."""

    def __init__(self, legal: frozenset[str]) -> None:
        self.legal = legal
        self.drafts: list[Draft] = []
        self._by_key: dict[str, list[Draft]] = {}

    def add(self, draft: Draft) -> Draft:
        """Register a new draft."""
        self.drafts.append(draft)
        self.reindex(draft)
        return draft

    def reindex(self, draft: Draft) -> None:
        """Index every name of ``draft`` (call after adding aliases)."""
        for name in draft.names():
            for key in keys(name, self.legal):
                bucket = self._by_key.setdefault(key, [])
                if draft not in bucket:
                    bucket.append(draft)

    def find(self, name: str, country: str | None, kind: str = "club") -> list[Draft]:
        """Live drafts with ``name`` (else its bare form) as a name, in ``country`` when given."""
        full = " ".join(words(name))
        for group in ([full], sorted(keys(name, self.legal) - {full})):
            found: list[Draft] = []
            for key in group:
                for draft in self._by_key.get(key, []):
                    ok = draft.kind == kind and (country is None or draft.country == country)
                    if ok and draft in self.drafts and draft not in found:
                        found.append(draft)
            if found:
                return found
        return []

    def merge(self, target: Draft, others: Iterable[Draft]) -> None:
        """Fold ``others`` into ``target`` (their names become aliases)."""
        for other in others:
            if other is target:
                continue
            target.aliases |= other.names()
            target.ambiguous |= other.ambiguous
            target.context |= other.context
            target.default_for |= other.default_for
            target.league = target.league or other.league
            self.drafts.remove(other)
        self.reindex(target)


# --------------------------------------------------------------------------- results


def _country_codes() -> dict[str, str]:
    """FIFA-style code -> English country name."""
    return {r["code"]: r["country"] for r in clubs.read_csv_rows("countries.csv", clubs.COUNTRY_COLUMNS)}


def result_teams(root: Path) -> Iterator[tuple[str, str | None, str, str]]:
    """(team, country, league code, season) for every team of the recent results files."""
    leagues = {r["code"]: r["country"] for r in clubs.read_csv_rows("leagues.csv", clubs.LEAGUE_COLUMNS)}
    codes = _country_codes()
    for path in sorted((root / "results").glob("*/*.json")):
        season, code = path.parent.name, path.stem
        if season < RECENT_SEASON or (code not in leagues and code != "uefa.cl"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        teams = {m[side] for m in data.get("matches", []) for side in ("team1", "team2")}
        for team in sorted(teams):
            coded = _CODE.match(team)
            if coded:
                yield coded.group(1), codes.get(coded.group(2)), code, season
            else:
                yield team, leagues.get(code), code, season


def add_results(registry: Registry, root: Path) -> None:
    """Add results team names as aliases (or new clubs) and set each club's current league."""
    names = {r["code"]: r["name"] for r in clubs.read_csv_rows("leagues.csv", clubs.LEAGUE_COLUMNS)}
    latest: dict[str, str] = {}
    rows = list(result_teams(root))
    for _, _, code, season in rows:
        latest[code] = max(latest.get(code, season), season)
    for team, country, code, season in rows:
        found = registry.find(team, country) or registry.find(team, None)
        if len(found) > 1:
            logger.warning("results name %r matches %s; skipped", team, [d.name for d in found])
            continue
        draft = found[0] if found else registry.add(Draft(team, country or "?"))
        draft.aliases.add(team)
        registry.reindex(draft)
        if code in names and season == latest[code]:
            draft.league = names[code]


# --------------------------------------------------------------------------- curated


def read_curated(path: Path) -> list[dict[str, object]]:
    """The hand-curated lines (``#`` lines are comments), checked for known fields."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:{number}: not valid JSON ({err}).") from err
        unknown = set(data) - _CURATED_KEYS
        if not isinstance(data.get("name"), str) or not isinstance(data.get("country"), str) or unknown:
            raise ValueError(
                f"{path}:{number}: needs string name and country; unknown fields {sorted(unknown)}."
            )
        for key in _CURATED_KEYS - {"name", "country", "kind", "league"}:
            if not isinstance(data.get(key, []), list):
                raise ValueError(f"{path}:{number}: {key!r} must be a list of strings.")
        if data.get("kind", "club") not in clubs.KINDS:
            raise ValueError(f"{path}:{number}: kind must be one of {clubs.KINDS}.")
        items.append(data)
    return items


def _strings(item: dict[str, object], key: str) -> set[str]:
    value = item.get(key, [])
    return {str(v) for v in value} if isinstance(value, list) else set()


def apply_curated(registry: Registry, items: list[dict[str, object]]) -> None:
    """Merge each curated line into the club it names (or create it) under the Dutch-press name."""
    for item in items:
        name, country, kind = str(item["name"]), str(item["country"]), str(item.get("kind", "club"))
        found: list[Draft] = []
        for probe in [name, *_strings(item, "match")]:
            found += [d for d in registry.find(probe, country, kind) if d not in found]
        if not found:
            logger.info("curated %r (%s) matches no openfootball club: new entry", name, country)
        target = found[0] if found else registry.add(Draft(name, country, kind))
        registry.merge(target, found[1:])
        if target.name != name:
            target.aliases.add(target.name)
            target.name = name
        target.aliases |= _strings(item, "aliases") | _strings(item, "ambiguous_aliases")
        target.aliases |= _strings(item, "context_aliases")
        target.dropped |= _strings(item, "drop_aliases")
        target.ambiguous |= _strings(item, "ambiguous_aliases")
        target.context |= _strings(item, "context_aliases")
        target.default_for |= _strings(item, "default_for")
        if "league" in item:
            target.league = str(item["league"]) if item["league"] is not None else None
        registry.reindex(target)


# --------------------------------------------------------------------------- national teams and output


def national_teams(registry: Registry) -> None:
    """One national team per country marked so in countries.csv, named in Dutch."""
    for row in clubs.read_csv_rows("countries.csv", clubs.COUNTRY_COLUMNS):
        if row["national_team"] == "yes":
            name = row["name_nl"]
            registry.add(Draft(name, row["country"], "national_team", aliases={name}, context={name}))


def _place_keys(places: set[str]) -> set[str]:
    """Comparison forms of club towns, of places_nl.txt and of all country names (Dutch and English)."""
    rows = clubs.read_csv_rows("countries.csv", clubs.COUNTRY_COLUMNS)
    names = places | {r["country"] for r in rows} | {r["name_nl"] for r in rows}
    names |= set(clubs.read_word_list("places_nl.txt"))
    return {" ".join(words(p)) for p in names}


def finish(registry: Registry, places: set[str]) -> list[Draft]:
    """Derive bare aliases, flag place-like and shared aliases, drop unwanted and country aliases."""
    place_keys = _place_keys(places)
    teams = {clubs.alias_key(a) for d in registry.drafts if d.kind == "national_team" for a in d.aliases}
    for draft in registry.drafts:
        if draft.country == "?":
            raise ValueError(f"no country for {draft.name!r}; add it to club_aliases_nl.jsonl.")
        if draft.kind == "club":
            derived = {b for a in draft.names() if len(b := bare(a, registry.legal)) >= 3} - draft.names()
            draft.aliases |= derived
            draft.context |= {b for b in derived if " " not in b}  # "SV Atlas" -> "Atlas": often a word
            draft.dropped |= {a for a in draft.aliases if clubs.alias_key(a) in teams}
            if draft.league is None:  # a minor club's one-word name is mostly its town: "Toledo"
                draft.context |= {a for a in draft.aliases | {draft.name} if len(words(a)) == 1}
        draft.aliases -= draft.dropped
        draft.aliases.add(draft.name)
        draft.context |= {a for a in draft.aliases if " ".join(words(a)) in place_keys}
    owners: dict[tuple[str, ...], set[str]] = {}
    for draft in registry.drafts:
        for alias in draft.aliases:
            owners.setdefault(clubs.alias_key(alias), set()).add(draft.name)
    for draft in registry.drafts:
        draft.ambiguous |= {a for a in draft.aliases if len(owners[clubs.alias_key(a)]) > 1}
    return registry.drafts


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(set(values), key=lambda v: (clubs.fold(v).casefold(), v))


def to_json(draft: Draft) -> str:
    """One output line, with a fixed key order."""
    data = {
        "name": draft.name,
        "aliases": _sorted(draft.aliases),
        "country": draft.country,
        "kind": draft.kind,
        "league": draft.league,
        "ambiguous_aliases": _sorted(draft.ambiguous & draft.aliases),
        "context_aliases": _sorted(draft.context & draft.aliases),
        "default_for": _sorted(draft.default_for & draft.ambiguous & draft.aliases),
    }
    return json.dumps(data, ensure_ascii=False)


def build(root: Path, curated: Path) -> str:
    """The full gazetteer text from the openfootball folder and the curated file."""
    registry = Registry(affixes())
    drafts, places = openfootball_clubs(root)
    for draft in drafts:
        registry.add(draft)
    add_results(registry, root)
    national_teams(registry)
    apply_curated(registry, read_curated(curated))
    finished = finish(registry, places)
    finished.sort(key=lambda d: (d.kind, d.country, clubs.fold(d.name).casefold(), d.name))
    lines = [to_json(d) for d in finished]
    entries = clubs.parse_entries(lines, "built gazetteer")
    countries = [r["country"] for r in clubs.read_csv_rows("countries.csv", clubs.COUNTRY_COLUMNS)]
    clubs.validate_entries(entries, "built gazetteer", countries)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: build (default) or --check against the committed file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write the gazetteer")
    parser.add_argument(
        "--check", action="store_true", help="only compare with --output; exit 1 if it differs"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    root = openfootball_dir()
    if not (root / "clubs").is_dir():
        print(f"openfootball data not found at {root}; set OPENFOOTBALL_DIR or SHARED_DIR.", file=sys.stderr)
        return 2
    text = build(root, CURATED)
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output} is {'up to date' if same else 'OUT OF DATE: run make gazetteer'}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    n_alias = sum(len(json.loads(line)["aliases"]) for line in text.splitlines())
    print(f"wrote {args.output}: {text.count(chr(10))} entries, {n_alias} aliases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
