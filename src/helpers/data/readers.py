"""Reading survey exports: CSV, Parquet and SPSS ``.sav``.

Every reader returns the same *raw* form, so that validation sees the values
as they were delivered and can report them literally:

* one column per variable, every column of pandas' string dtype (``str``);
* an empty cell is missing (``NaN``); nothing else is treated as missing, so
  a literal ``NA`` or ``null`` stays a value and is reported if it is wrong;
* numbers are written without a spurious decimal part (SPSS and Parquet store
  ``1`` as ``1.0``; that becomes ``"1"``), booleans become ``"true"``/``"false"``;
* SPSS value labels are *not* applied: a numeric SPSS code stays a number.

Files that cannot be read raise :class:`UnreadableFile` (or its subclass
:class:`EmptyFile`) with a message in plain Dutch; validation turns those into
problems in its report instead of letting a traceback through.
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

SUFFIXES = (".csv", ".parquet", ".sav")


class UnreadableFile(Exception):
    """A file that cannot be read as a table; ``message`` is plain Dutch."""

    kind = "onleesbaar"

    def __init__(self, path: Path | str, message: str):
        super().__init__(f"{Path(path).name}: {message}")
        self.path = Path(path)
        self.message = message


class EmptyFile(UnreadableFile):
    """A file without data rows (0 bytes, or a header only)."""

    kind = "leeg"


def read_table(path: Path | str, as_typed: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a survey export by its suffix into the raw string form.

    Spaces around a value or a column name are dropped, except in the columns
    `as_typed` (identifiers that validation must see exactly as typed).

    Raises :class:`UnreadableFile` for a missing path, an unknown suffix or a
    file its reader cannot parse, and :class:`EmptyFile` for a file without
    data rows.
    """
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(path, "het bestand bestaat niet")
    if path.is_dir():
        raise UnreadableFile(path, "dit is een map, geen bestand")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            path,
            f"onbekend bestandstype '{path.suffix or '(geen extensie)'}'; "
            "gebruik CSV (.csv), Parquet (.parquet) of SPSS (.sav)",
        )
    try:
        size = path.stat().st_size
    except OSError as exc:  # pragma: no cover - permissions, broken links
        raise UnreadableFile(path, f"het bestand kan niet worden geopend ({exc.strerror})")
    if size == 0:
        raise EmptyFile(path, "het bestand is leeg (0 bytes)")

    if suffix == ".csv":
        frame = _read_csv(path)
    elif suffix == ".parquet":
        frame = _read_parquet(path)
    else:
        frame = _read_sav(path)

    if len(frame.columns) == 0:
        raise EmptyFile(path, "het bestand bevat geen kolommen")
    if len(frame) == 0:
        raise EmptyFile(path, "het bestand bevat alleen een kopregel en geen gegevens")
    return _without_surrounding_spaces(path, frame, as_typed)


def _refuse_repeated_names(path: Path, header) -> list:
    """The column names without surrounding spaces; a name that occurs twice (spaces not counted) is refused."""
    names = [c.strip() if isinstance(c, str) else c for c in header]
    repeated = sorted({str(n) for n in names if names.count(n) > 1})
    if repeated:
        raise UnreadableFile(path, "de kopregel bevat dezelfde kolomnaam meer dan eens: "
                             + ", ".join(f"'{n}'" for n in repeated))
    return names


def _without_surrounding_spaces(path: Path, frame: pd.DataFrame, as_typed: tuple[str, ...]) -> pd.DataFrame:
    """Every column name and text cell without the spaces around it; a cell of spaces only is empty.

    Spreadsheets and hand edits add them (' docent', 'Team A '); they are not
    part of a value, and left in they would make one team two.
    """
    names = _refuse_repeated_names(path, frame.columns)
    frame = frame.set_axis(names, axis=1)
    for column in frame.columns:
        values = frame[column]
        if column in as_typed:
            continue
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.str.strip()
            if not text.equals(values):
                frame[column] = text.mask(text == "")
    return frame


# -- CSV ---------------------------------------------------------------------
def _read_csv(path: Path) -> pd.DataFrame:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if b"\x00" in head:
        raise UnreadableFile(
            path, "dit is geen tekstbestand (CSV); het lijkt een binair bestand"
        )
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError:
        raise UnreadableFile(
            path, "het bestand is geen geldige UTF-8-tekst; sla het op als CSV UTF-8"
        ) from None
    except csv.Error as exc:
        raise UnreadableFile(path, f"de kopregel is geen geldige CSV ({exc})") from None
    if not header or all(not h.strip() for h in header):
        raise EmptyFile(path, "het bestand bevat geen kopregel en geen gegevens")
    if len(header) == 1:
        for sep, word in ((";", "puntkomma's"), ("\t", "tabs")):
            if sep in header[0]:
                raise UnreadableFile(
                    path,
                    f"de kolommen zijn gescheiden door {word}; een CSV-bestand moet "
                    "komma's gebruiken (kies bij opslaan 'CSV UTF-8 (door komma's gescheiden)')",
                )
    _refuse_repeated_names(path, header)
    try:
        frame = pd.read_csv(
            path,
            sep=",",
            encoding="utf-8-sig",
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=True,
        )
    except UnicodeDecodeError:
        raise UnreadableFile(
            path, "het bestand is geen geldige UTF-8-tekst; sla het op als CSV UTF-8"
        ) from None
    except pd.errors.EmptyDataError:
        raise EmptyFile(path, "het bestand bevat geen kopregel en geen gegevens") from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if fields:
            expected, line, saw = fields.groups()
            raise UnreadableFile(
                path,
                f"rij {line} heeft {saw} velden, maar de kopregel heeft er {expected} "
                "(staat er een komma in een waarde zonder aanhalingstekens?)",
            ) from None
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableFile(path, f"het bestand is geen geldige CSV ({detail})") from None
    return _to_raw(frame)


# -- Parquet -----------------------------------------------------------------
def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a bad file
        raise UnreadableFile(
            path, f"het bestand is geen leesbaar Parquet-bestand ({_short(exc)})"
        ) from None
    return _to_raw(frame.reset_index(drop=True))


# -- SPSS --------------------------------------------------------------------
def _read_sav(path: Path) -> pd.DataFrame:
    import pyreadstat

    try:
        frame, _meta = pyreadstat.read_sav(
            path,
            apply_value_formats=False,
            user_missing=False,
            disable_datetime_conversion=True,
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, ValueError) as exc:
        raise UnreadableFile(
            path, f"het bestand is geen leesbaar SPSS-bestand ({_short(exc)})"
        ) from None
    return _to_raw(frame)


def _short(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


# -- raw form ----------------------------------------------------------------
def _to_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as pandas strings; empty means missing."""
    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    out = {}
    for name in frame.columns:
        out[name] = _raw_series(frame[name])
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _raw_series(series: pd.Series) -> pd.Series:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        series = series.astype(object)
        dtype = series.dtype
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        # Text already (CSV, string columns): only make empty cells missing.
        out = series.astype("str")
        return out.mask(out == "")
    if pd.api.types.is_bool_dtype(dtype):
        values = [_raw_scalar(v) for v in series.to_numpy(dtype=object)]
    elif pd.api.types.is_integer_dtype(dtype):
        values = [None if pd.isna(v) else str(int(v)) for v in series.to_numpy(dtype=object)]
    elif pd.api.types.is_float_dtype(dtype):
        arr = series.to_numpy(dtype="float64", na_value=np.nan)
        integral = np.isfinite(arr) & (np.floor(arr) == arr)
        values = [
            None if np.isnan(v) else (str(int(v)) if ok else repr(float(v)))
            for v, ok in zip(arr, integral)
        ]
    else:
        values = [_raw_scalar(v) for v in series.to_numpy(dtype=object)]
    return pd.Series(values, index=series.index, dtype="str")


def _raw_scalar(value) -> str | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value)
    return None if text == "" else text
