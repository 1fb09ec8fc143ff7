"""The validated data set as the notebooks receive it.

The build validates the raw export once (`validation.load_survey`) and stores
the typed result as Parquet in a work folder outside every edition; each
chapter notebook then reads that folder instead of re-reading and
re-checking the export. Opened without a folder (a student running a
notebook by hand), the shipped data is read and validated on the spot
(`validation.load_shipped`).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from helpers.data.codebook import PROJECT_ROOT

if TYPE_CHECKING:
    import pandas as pd

SHIPPED_RESPONDENTS = PROJECT_ROOT / "data" / "respondenten.csv"
SHIPPED_INSTITUTIONS = PROJECT_ROOT / "data" / "instellingen.csv"
RESPONDENTS_FILE = "respondenten.parquet"
INSTITUTIONS_FILE = "instellingen.parquet"
INFO_FILE = "bron.json"
RESPONDENTS = "respondenten"  # the two input files, as named in sources and messages
INSTITUTIONS = "instellingen"


@dataclass
class Dataset:
    respondents: pd.DataFrame
    institutions: pd.DataFrame
    data_hash: str
    shipped: bool | None = None  # the synthetic data shipped in data/ (None: not known)

    @property
    def is_shipped(self) -> bool:
        return self.shipped if self.shipped is not None else is_shipped_data(self.data_hash)


def save(survey, directory: Path) -> Path:
    """Write a validated survey (from `validation.load_survey`) to `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    survey.respondents.to_parquet(directory / RESPONDENTS_FILE, index=False)
    survey.institutions.to_parquet(directory / INSTITUTIONS_FILE, index=False)
    # Decided once here: hashing the shipped files again in every chapter of every edition costs half a second.
    info = {"data_hash": survey.data_hash, "bronnen": survey.sources,
            "meegeleverde_gegevens": is_shipped_data(survey.input_hash or survey.data_hash),
            # Which institutions can have an edition, known without reading the respondents again.
            "meting": survey.reported_wave, "deelname": survey.participation,
            "instellingen": [{column: str(value) for column, value in row.items()}
                             for row in survey.institutions.to_dict("records")]}
    (directory / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return directory


def load(directory: str | Path) -> Dataset:
    """Read a prepared data set (written by `save`)."""
    import pandas as pd  # here: the build reads the facts below without pandas, to decide quickly

    directory = Path(directory)
    info = json.loads((directory / INFO_FILE).read_text(encoding="utf-8"))
    return Dataset(
        pd.read_parquet(directory / RESPONDENTS_FILE),
        pd.read_parquet(directory / INSTITUTIONS_FILE),
        info["data_hash"],
        info.get("meegeleverde_gegevens"),
    )


def load_institutions(directory: Path) -> list[dict[str, str]]:
    """The institutions of a prepared data set, one record each (instelling, naam, type)."""
    return json.loads((Path(directory) / INFO_FILE).read_text(encoding="utf-8"))["instellingen"]


def load_participation(directory: Path) -> tuple[int | None, dict[str, list[int]]]:
    """(the reported wave, {institution: every wave of the input in which it has teachers})."""
    info = json.loads((Path(directory) / INFO_FILE).read_text(encoding="utf-8"))
    return info["meting"], {code: list(waves) for code, waves in info["deelname"].items()}


def absence_notice(institution: str, reported: int | None, taken_part: list[int]) -> str:
    """One Dutch line: the institution has no teachers in the reported wave, so no edition; which wave it can have."""
    if not taken_part:
        return f"{institution} nam aan geen enkele meting in de gegevens deel: geen editie"
    earlier = [w for w in taken_part if reported is None or w < reported]
    other = earlier[-1] if earlier else taken_part[0]
    return (f"{institution} nam niet deel aan de meting van {reported}: geen editie; "
            f"met `--meting {other}` wel")


def absent_institutions(institutions: list[str], taken_part: dict[str, list[int]],
                        reported: int | None) -> dict[str, str]:
    """{institution: notice} of the institutions without teachers in the reported wave, in the given order."""
    return {code: absence_notice(code, reported, taken_part.get(code, []))
            for code in institutions if reported not in taken_part.get(code, [])}


def input_hash(*paths) -> str:
    """sha256 over the bytes of the input files, in the given order.

    Each file is preceded by its length so that the boundary between the files
    is part of the hash; the result only depends on the files' contents.
    """
    return bytes_hash(*(Path(p).read_bytes() for p in paths))


def bytes_hash(*contents: bytes) -> str:
    """`input_hash` of files with these contents (read once, hashed and validated from the same bytes)."""
    h = hashlib.sha256()
    for data in contents:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def with_wave(data_hash: str, wave: int | None) -> str:
    """The hash of the data a build uses: the input files, cut off after `wave` when one is chosen."""
    if wave is None:
        return data_hash
    return hashlib.sha256(f"{data_hash}|meting<={int(wave)}".encode()).hexdigest()


def is_shipped_data(data_hash: str) -> bool:
    """Whether `data_hash` belongs to the synthetic data shipped in `data/`."""
    if not (SHIPPED_RESPONDENTS.exists() and SHIPPED_INSTITUTIONS.exists()):
        return False
    return data_hash == input_hash(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS)
