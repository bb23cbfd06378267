"""Build the NER lexicon features (pipeline/resources/ner_lexicon.tsv.gz) from PyPI data packages.

Usage: python scripts/build_ner_lexicon.py   (needs the `build` extra: wordfreq, names-dataset, babel)

Each line is ``word<TAB>features`` for a lowercased word: the Zipf frequency of the
word in Dutch (wordfreq, bucketed 1-7) and flags for common first names, surnames
(names-dataset, for the countries whose players and politicians fill Dutch news)
and country and region names (babel, in Dutch, English, French and German). The
NER model embeds these as one extra token feature (see pipeline/ner_features.py).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from babel import Locale
from names_dataset import NameDataset
from wordfreq import top_n_list, zipf_frequency

from pipeline.ner_features import FIRST_NAME, PLACE, SURNAME, encode

OUT = Path("pipeline/resources/ner_lexicon.tsv.gz")
COUNTRIES = [
    "NL",
    "BE",
    "FR",
    "DE",
    "ES",
    "IT",
    "GB",
    "PT",
    "BR",
    "AR",
    "MA",
    "TR",
    "PL",
    "HR",
    "RS",
    "DK",
    "SE",
    "NO",
    "US",
    "NG",
    "GH",
    "CI",
    "SN",
    "CM",
    "CD",
    "DZ",
    "TN",
    "AT",
    "CH",
    "CZ",
    "GR",
    "RO",
    "UA",
    "RU",
    "IE",
    "JP",
    "KR",
    "MX",
    "CO",
    "UY",
]
N_WORDS, N_FIRST, N_LAST = 60_000, 600, 1_500


def main() -> None:
    zipf = {w: zipf_frequency(w, "nl") for w in top_n_list("nl", N_WORDS) if w.isalpha()}
    flags: dict[str, int] = {}
    nd = NameDataset()
    for cc in COUNTRIES:
        firsts = nd.get_top_names(n=N_FIRST, country_alpha2=cc).get(cc, {})
        for name in firsts.get("M", []) + firsts.get("F", []):
            flags[name.lower()] = flags.get(name.lower(), 0) | FIRST_NAME
        for name in nd.get_top_names(n=N_LAST, use_first_names=False, country_alpha2=cc).get(cc, []):
            flags[name.lower()] = flags.get(name.lower(), 0) | SURNAME
    for lang in ("nl", "en", "fr", "de"):
        for name in Locale(lang).territories.values():
            for word in name.replace("-", " ").split():
                if word[:1].isupper() and len(word) > 2:
                    flags[word.lower()] = flags.get(word.lower(), 0) | PLACE
    words = sorted(set(zipf) | set(flags))
    lines = [f"{w}\t{encode(zipf.get(w, 0.0), flags.get(w, 0))}" for w in words if "\t" not in w]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"wrote {OUT}: {len(lines)} words ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
