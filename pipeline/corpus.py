"""Read articles from text files, folders, globs and JSON Lines files.

Every input becomes an :class:`Article`, also when it cannot be read: such an
article carries an ``error`` and empty text, so the batch goes on and the
articles table accounts for it.

Text files may start with a metadata header (``key: value`` lines, then a blank
line) or with the compact form ``date YYYY-MM[-DD]`` before the text. Offsets in
every table refer to the text after the header.
"""

from __future__ import annotations

import codecs
import datetime
import glob
import hashlib
import html
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import ftfy
from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

HEADER_KEYS = frozenset({"date", "title", "source", "url", "author", "section", "lang", "language", "id"})
_HEADER_LINE = re.compile(r"^([A-Za-z_]+)[ \t]*:[ \t]*(.*?)\s*$")
_COMPACT_DATE = re.compile(r"^\s*date[ \t]+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b[ \t]*\n?[ \t]*")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TAG = re.compile(r"</?(?:p|br|div|span|em|strong|b|i|a|h[1-6])\b[^<>]{0,200}>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
MAX_CHARS = 50_000
_BYTES_PER_CHAR = 4  # a file larger than 4 bytes per allowed character cannot fit the limit
_FALLBACK = "dutch_news_cp1252"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejects as cp1252 (latin-1 for the five bytes cp1252 leaves undefined)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_cp1252_char(b) for b in bad), exc.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


codecs.register_error(_FALLBACK, _cp1252_fallback)
_CP1252_HIGH = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


@dataclass(frozen=True)
class Article:
    """One input article; ``error`` is set (and ``text`` empty) when it could not be read."""

    id: str
    source: str
    text: str = ""
    date: str | None = None
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    repaired: bool = False
    content_hash: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def content_hash(text: str, date: str | None, title: str | None) -> str:
    """A short stable hash of what the extraction depends on: text, date and title."""
    payload = "\x1f".join((date or "", title or "", text)).encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(payload).hexdigest()[:16]


def normalize_date(raw: str | None) -> str | None:
    """A publication date as ISO text at its known precision, or None if unreadable."""
    if raw is None:
        return None
    value = str(raw).strip()
    value = value[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", value) else value
    if m := _ISO_DATE.match(value):
        year, month, day = m.groups()
        return value if _exists(int(year), int(month or 1), int(day or 1)) else None
    if m := _DMY_DATE.match(value):
        day, month, year = m.groups()
        if _exists(int(year), int(month), int(day)):
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return None
    return _written_date(value)


def _exists(year: int, month: int, day: int) -> bool:
    """Whether the calendar has this day (no 31 February)."""
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


_MAX_WRITTEN_DATE = 80  # characters; a longer header value is not a date


def _written_date(value: str) -> str | None:
    """A written-out date ("3 mei 2022", "dinsdag 3 mei 2022, 14:30", "May 3, 2022",
    "mei 2022") read by dateparser, at the precision it names; None without a year."""
    if len(value) > _MAX_WRITTEN_DATE:
        return None
    try:
        data = _date_parser().get_date_data(value)
    except (ValueError, OverflowError, TypeError) as exc:  # dateparser on odd input
        logger.debug("dateparser failed on %r: %s", value, exc)
        return None
    found = data.date_obj
    if found is None:
        return None
    if data.period == "year":
        return f"{found.year:04d}"
    if data.period == "month":
        return f"{found.year:04d}-{found.month:02d}"
    return f"{found.year:04d}-{found.month:02d}-{found.day:02d}"


@lru_cache(maxsize=1)
def _date_parser() -> DateDataParser:
    """Dutch and English absolute dates only: a header never says "gisteren"."""
    return DateDataParser(
        languages=["nl", "en"],
        settings={"PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["year"], "DATE_ORDER": "DMY"},
    )


def date_precision(value: str | None) -> str | None:
    """day, month or year for an ISO date at its own precision."""
    if value is None:
        return None
    return {4: "year", 7: "month", 10: "day"}.get(len(value))


def decode(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM); bytes that are not UTF-8 are read as cp1252.

    This handles pure cp1252/latin-1 files and files that mix both encodings, in
    linear time. Returns (text, encoding) with encoding ``utf-8``, ``cp1252`` or
    ``utf-8+cp1252``; raises ValueError for binary data.
    """
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (NUL bytes); expected UTF-8 or latin-1 text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors=_FALLBACK)
    sample = text[:4096]
    if sample and len(_CONTROL.findall(sample)) > len(sample) // 10:
        raise ValueError("binary file (control bytes); expected UTF-8 or latin-1 text")
    mixed = any(ord(ch) > 0xFF and ch not in _CP1252_HIGH for ch in text)
    return text, "utf-8+cp1252" if mixed else "cp1252"


def clean_text(text: str) -> tuple[str, bool]:
    """Repair mojibake and HTML residue; keep curly quotes. Returns (text, changed)."""
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False)
    if "&" in fixed:
        fixed = html.unescape(fixed)
    fixed = _TAG.sub("", fixed)
    fixed = fixed.replace("\r\n", "\n").replace("\r", "\n")
    return fixed, fixed != text.replace("\r\n", "\n").replace("\r", "\n")


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Split a text file into its metadata header and the article body."""
    if m := _COMPACT_DATE.match(raw):
        return {"date": m.group(1)}, raw[m.end() :]
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if (meta and "date" in meta) or meta.keys() & {"title", "source", "url"}:
                return meta, "\n".join(lines[i + 1 :])
            break
        m = _HEADER_LINE.match(line)
        if not m or m.group(1).lower() not in HEADER_KEYS:
            break
        meta[m.group(1).lower()] = m.group(2)
    return {}, raw


def make_article(
    article_id: str, source: str, body: str, meta: dict[str, str], max_chars: int = MAX_CHARS
) -> Article:
    """An Article from raw body text and metadata, with cleaning and date normalization."""
    if len(body) > max_chars:
        return Article(article_id, source, error=_too_long(f"{len(body):,} characters", max_chars))
    text, repaired = clean_text(body)
    text = text.strip("\n")
    raw_date = meta.pop("date", None)
    date = normalize_date(raw_date)
    if raw_date and date is None:
        logger.warning("%s: unreadable date %r; relative dates stay unresolved", source, raw_date)
        meta["date_raw"] = raw_date
    title = meta.pop("title", None)
    if not text.strip():
        return Article(article_id, source, "", date, title, meta, error="empty article (no text)")
    return Article(
        article_id,
        source,
        text,
        date,
        title,
        meta,
        repaired=repaired,
        content_hash=content_hash(text, date, title),
    )


def _too_long(size: str, max_chars: int) -> str:
    return (
        f"article too long: {size}, the limit is {max_chars:,} characters; "
        "split the file or raise --max-chars"
    )


def read_text_file(path: Path, max_chars: int = MAX_CHARS) -> Article:
    """Read one .txt article; never raises, errors become the article's ``error``."""
    try:
        size = path.stat().st_size
        if size > max_chars * _BYTES_PER_CHAR:
            return Article(path.stem, str(path), error=_too_long(f"{size:,} bytes", max_chars))
        raw, encoding = decode(path.read_bytes())
    except (OSError, ValueError) as exc:
        return Article(path.stem, str(path), error=f"cannot read {path.name}: {exc}")
    meta, body = split_header(raw.replace("\r\n", "\n"))
    if encoding != "utf-8":
        meta["encoding"] = encoding
    return make_article(path.stem, str(path), body, meta, max_chars)


def read_jsonl_file(path: Path, max_chars: int = MAX_CHARS) -> Iterator[Article]:
    """Read a JSON Lines file of articles line by line; a broken line becomes an error article."""
    try:
        with path.open("rb") as lines:
            yield from _jsonl_articles(path, lines, max_chars)
    except OSError as exc:
        yield Article(path.stem, str(path), error=f"cannot read {path.name}: {exc}")


def _jsonl_articles(path: Path, lines: Iterable[bytes], max_chars: int) -> Iterator[Article]:
    for line_no, data in enumerate(lines, 1):
        if not data.strip():
            continue
        source = f"{path}:{line_no}"
        fallback_id = f"{path.stem}:{line_no}"
        if len(data) > max_chars * _BYTES_PER_CHAR:
            yield Article(fallback_id, source, error=_too_long(f"{len(data):,} bytes", max_chars))
            continue
        try:
            record = json.loads(decode(data)[0])
            if not isinstance(record, dict):
                raise ValueError("a line must be a JSON object")
        except ValueError as exc:
            yield Article(fallback_id, source, error=f"invalid JSON on line {line_no}: {exc}")
            continue
        article_id = str(record.pop("id", "") or fallback_id)
        text = record.pop("text", None)
        if not isinstance(text, str):
            yield Article(article_id, source, error="JSON line has no 'text' string")
            continue
        meta = {
            k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
            for k, v in record.items()
            if v is not None
        }
        yield make_article(article_id, source, text, meta, max_chars)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named by paths, folders (recursively) and globs, in a stable order."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES)
            )
        elif path.exists():
            found.append(path)
        elif any(ch in str(item) for ch in "*?["):
            found.extend(sorted(Path(p) for p in glob.glob(str(item), recursive=True) if Path(p).is_file()))
        else:
            raise FileNotFoundError(f"input path not found: {item}")
    return found


def read_corpus(paths: Iterable[str | Path], *, max_chars: int = MAX_CHARS) -> Iterator[Article]:
    """Every article under ``paths``; duplicate ids become error articles naming both sources.

    Articles longer than ``max_chars`` characters become error articles.
    """
    seen: dict[str, str] = {}
    for path in expand_paths(paths):
        articles = (
            read_jsonl_file(path, max_chars)
            if path.suffix.lower() in JSONL_SUFFIXES
            else [read_text_file(path, max_chars)]
        )
        for article in articles:
            if article.id in seen:
                yield replace(
                    article,
                    text="",
                    content_hash=None,
                    error=f"duplicate article id {article.id!r}: read from {seen[article.id]} "
                    f"and again from {article.source}; rename one of them",
                )
                continue
            seen[article.id] = article.source
            yield article
