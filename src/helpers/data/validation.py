"""Checking the whole input against the data contract before anything is built.

``load_survey`` reads the respondents and institutions files, validates both
completely and either returns a typed :class:`Survey` or raises
:class:`InvalidInput` carrying *every* problem at once. ``InvalidInput.report()``
is the plain-Dutch text the command line prints (no traceback).

Column-by-column rules are a pandera ``DataFrameSchema`` built from the
codebook and run lazily over the raw string form from :mod:`helpers.data.readers`;
pandera's failure cases are grouped per column and check into one
:class:`InputProblem` each ("412 rijen", not 412 lines). The few rules that
span rows, columns or files are separate functions below (duplicate
respondent within a wave, ``thema_geen`` together with another theme) or a
column check fed by the other file (``instelling`` must be in the
institutions table). Every problem ends up in the same list.

Row numbers count as in a spreadsheet: the header is row 1, so the first data
row is row 2.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.dataset import (INSTITUTIONS, RESPONDENTS, SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS, Dataset,
                                  bytes_hash, input_hash, with_wave)
from helpers.data.readers import UnreadableFile, read_table
from helpers.data.waves import newest_wave, participation
from helpers.core.edition_manifest import NATIONAL


# Prefixes under which a wave may add its own 0/1 columns (contract: "a wave
# may add themes", e.g. thema_genai in a later round).
EXTRA_BINARY_PREFIXES = ("thema_", "motief_")

TRUE_VALUES = ("true", "1")
FALSE_VALUES = ("false", "0")
MAX_EXAMPLES = 5
FIRST_DATA_ROW = 2  # header is row 1 as in a spreadsheet


# -- problems ------------------------------------------------------------------
@dataclass(frozen=True)
class InputProblem:
    """One problem in the input, in words a researcher understands.

    ``problem`` already names the offending value(s); ``values`` holds a few
    distinct examples for machines; ``count`` is the number of rows affected
    (0 for a problem of a whole column or file); ``example_row`` is a 1-based
    spreadsheet row (header = row 1); ``hint`` says what is allowed.
    """

    file: str
    column: str | None
    problem: str
    values: list[str]
    count: int
    example_row: int | None
    hint: str | None = None

    def line(self) -> str:
        where = self.file if self.column is None else f"{self.file}, kolom '{self.column}'"
        text = f"{where}: {self.problem}"
        if self.count:
            if self.count == 1:
                rows = "1 rij" if self.example_row is None else f"1 rij: rij {self.example_row}"
            else:
                rows = f"{self.count} rijen"
                if self.example_row is not None:
                    rows += f", bv. rij {self.example_row}"
            text += f" ({rows})"
        text += "."
        if self.hint:
            text += f" {self.hint}"
        return text


class InvalidInput(Exception):
    """The input breaks the data contract; ``problems`` lists every problem."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = "De invoer bevat 1 probleem" if n == 1 else f"De invoer bevat {n} problemen"
        lines = [f"{head}; er is niets gebouwd."]
        lines += [f"{i}. {p.line()}" for i, p in enumerate(self.problems, start=1)]
        if any(p.example_row is not None for p in self.problems):
            lines.append(
                "Rijnummers tellen zoals in een spreadsheet: de kopregel is rij 1, "
                "de eerste gegevensrij is rij 2."
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


# -- the typed result ------------------------------------------------------------
@dataclass
class Survey:
    respondents: pd.DataFrame
    institutions: pd.DataFrame
    data_hash: str  # what the book is built from: the input files and the reported wave
    sources: dict[str, str] = field(default_factory=dict)
    input_hash: str = ""  # the input files alone
    participation: dict[str, list[int]] = field(default_factory=dict)  # every wave of the input, also later ones
    reported_wave: int | None = None  # the wave the book reports on: the chosen one, else the newest


def up_to_wave(respondents: pd.DataFrame, wave: int, file: str) -> pd.DataFrame:
    """The rows of `wave` and the waves before it: the round a build reports on, with its history."""
    present = sorted(int(w) for w in respondents["meting"].dropna().unique())
    if int(wave) not in present:
        raise InvalidInput([InputProblem(
            file, "meting", f"de gekozen meting {wave} komt niet voor in de gegevens", [str(wave)], 0, None,
            f"Kies een meting die in het bestand staat: {', '.join(str(w) for w in present)}.")])
    return respondents.loc[respondents["meting"] <= int(wave)].reset_index(drop=True)


def load_survey(respondents_path, institutions_path, codebook: Codebook | None = None,
                wave: int | None = None, shown_as: tuple[Path, Path] | None = None) -> Survey:
    """Read and validate both input files; return them typed for analysis.

    Raises :class:`InvalidInput` with every problem of both files at once.
    An unreadable file is reported and the other file is still validated.
    With `wave`, the book reports on that wave: later waves are left out.
    `shown_as`: the paths to name in reports and sources when the files read
    are copies of them (the build validates a snapshot of the input, see
    `helpers.pipeline.build.prepared_input`).
    """
    cb = codebook or load_codebook()
    respondents_path, institutions_path = Path(respondents_path), Path(institutions_path)
    shown_respondents, shown_institutions = (Path(p) for p in (shown_as or (respondents_path, institutions_path)))
    resp_file, inst_file = _display_names(shown_respondents, shown_institutions)

    resp_problems: list[InputProblem] = []
    inst_problems: list[InputProblem] = []
    resp_raw = _read(respondents_path, resp_file, resp_problems)
    inst_raw = _read(institutions_path, inst_file, inst_problems)
    if resp_raw is not None:
        resp_raw = canonical_codes(resp_raw, _respondent_specs(cb, _extra_binary_columns(resp_raw.columns, cb)))
    if inst_raw is not None:
        inst_raw = canonical_codes(inst_raw, _institution_specs(cb))

    known_institutions = None
    if inst_raw is not None:
        inst_problems += validate_institutions(inst_raw, inst_file, cb)
        if "instelling" in inst_raw.columns:
            known_institutions = set(inst_raw["instelling"].dropna())
    if resp_raw is not None:
        resp_problems += validate_respondents(
            resp_raw,
            resp_file,
            cb,
            known_institutions=known_institutions,
            institutions_file=inst_file,
        )
    problems = resp_problems + inst_problems
    if problems:
        raise InvalidInput(problems)

    respondents = type_respondents(resp_raw, cb)
    taken_part = participation(respondents)
    if wave is not None:
        respondents = up_to_wave(respondents, wave, resp_file)
    raw_hash = input_hash(respondents_path, institutions_path)
    sources = {RESPONDENTS: str(shown_respondents), INSTITUTIONS: str(shown_institutions)}
    if wave is not None:
        sources["meting"] = str(int(wave))
    return Survey(
        respondents=respondents,
        institutions=type_institutions(inst_raw, cb),
        data_hash=with_wave(raw_hash, wave),
        sources=sources,
        input_hash=raw_hash,
        participation=taken_part,
        reported_wave=newest_wave(respondents),
    )


def load_shipped() -> Dataset:
    """The data shipped in `data/`, validated on the spot: a notebook run by hand, without a prepared folder."""
    survey = load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS)
    return Dataset(survey.respondents, survey.institutions, survey.data_hash, shipped=True)


def canonical_codes(raw: pd.DataFrame, specs: dict) -> pd.DataFrame:
    """A category written in another case ('Docent', 'ROC') read as its code ('docent', 'roc').

    Only a value that is a code but for its case is changed; anything else is
    left for validation to report.
    """
    recoded = {}
    for column, spec in specs.items():
        if spec.kind != "category" or column not in raw.columns:
            continue
        values = raw[column]
        if values.isin(spec.codes).sum() == values.notna().sum():  # every value is a code already
            continue
        code = values.str.lower().map({code.lower(): code for code in spec.codes})
        recoded[column] = code.where(code.notna(), values)
    return raw.assign(**recoded) if recoded else raw


data_hash = input_hash  # alias


def _display_names(resp: Path, inst: Path) -> tuple[str, str]:
    if resp.name != inst.name:
        return resp.name, inst.name
    return str(resp), str(inst)


#: Institution codes are checked exactly as typed: a code with a space is refused (the `edition_id` check),
#: never quietly changed into another institution's code.
AS_TYPED = ("instelling",)


def _read(path: Path, name: str, problems: list[InputProblem]) -> pd.DataFrame | None:
    try:
        return read_table(path, as_typed=AS_TYPED)
    except UnreadableFile as exc:
        message = exc.message
        if not path.exists():
            message += f" (gezocht op {path})"
        problems.append(InputProblem(name, None, message, [], 0, None))
        return None


# -- column kinds from the codebook -------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    kind: str  # string | integer | boolean | category | binary | item
    nullable: bool
    codes: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None


def _respondent_specs(cb: Codebook, extra_binary: list[str] = ()) -> dict[str, _Spec]:
    """Expected respondent columns, in codebook order, with their rules."""
    specs: dict[str, _Spec] = {}
    for col in cb.respondent_columns:
        if col in cb.respondent_variables:
            v = cb.respondent_variables[col]
            required = bool(v.get("verplicht", False))
            if v["type"] == "category":
                specs[col] = _Spec("category", not required, tuple(str(k) for k in v["waarden"]))
            elif v["type"] == "integer":
                low, high = v.get("bereik", (None, None))
                specs[col] = _Spec("integer", not required, low=low, high=high)
            elif v["type"] == "boolean":
                specs[col] = _Spec("boolean", not required)
            else:
                specs[col] = _Spec("string", not required)
        elif col in cb.activities:
            specs[col] = _Spec("binary", False)
        elif col in cb.themes or col in cb.motives:
            specs[col] = _Spec("binary", True)
        else:  # scale item
            fmt = cb.answer_formats[_scale_of(cb, col).answer_format]["waarden"]
            codes = sorted(int(k) for k in fmt)
            specs[col] = _Spec("item", True, low=codes[0], high=codes[-1])
    for col in extra_binary:
        specs[col] = _Spec("binary", True)
    return _insert_extras(specs, cb, list(extra_binary))


def _insert_extras(specs: dict[str, _Spec], cb: Codebook, extras: list[str]) -> dict[str, _Spec]:
    """Put extra thema_*/motief_* columns right after their own group."""
    if not extras:
        return specs
    order = [c for c in specs if c not in extras]
    for prefix, group in (("thema_", cb.theme_columns), ("motief_", list(cb.motives))):
        mine = [c for c in extras if c.startswith(prefix)]
        if mine:
            at = order.index(group[-1]) + 1
            order[at:at] = mine
    return {c: specs[c] for c in order}


def _scale_of(cb: Codebook, item: str):
    for scale in cb.scales.values():
        if item in scale.items:
            return scale
    raise KeyError(item)


def _institution_specs(cb: Codebook) -> dict[str, _Spec]:
    specs = {}
    for col, v in cb.institution_variables.items():
        required = bool(v.get("verplicht", False))
        if v["type"] == "category":
            specs[col] = _Spec("category", not required, tuple(str(k) for k in v["waarden"]))
        else:
            specs[col] = _Spec("string", not required)
    return specs


def _extra_binary_columns(columns, cb: Codebook) -> list[str]:
    known = set(cb.respondent_columns)
    return [c for c in columns if c not in known and c.startswith(EXTRA_BINARY_PREFIXES)]



def _required_columns(raw: pd.DataFrame, cb: Codebook, specs: dict[str, _Spec]) -> set[str]:
    """Columns that must be present in this file.

    Always: the codebook's verplicht variables and the activities. The items of
    a scale: all of them once one is present. Which scales, themes and motives a
    wave asked is the data's to say (the questionnaire changes between rounds),
    so none of them is required as such.
    """
    required = {c for c, s in specs.items() if c in cb.respondent_variables and not s.nullable}
    required |= set(cb.activities)
    present = set(raw.columns)
    for scale in cb.scales.values():
        if present & set(scale.items):
            required |= set(scale.items)
    return required


# -- pandera checks ------------------------------------------------------------------
def _numbers(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.str.strip(), errors="coerce")


def _whole_in_range(low, high):
    def check(s: pd.Series) -> pd.Series:
        num = _numbers(s)
        ok = num.notna() & (num % 1 == 0)
        if low is not None:
            ok &= num >= low
        if high is not None:
            ok &= num <= high
        return ok.fillna(False).astype(bool)

    return check


def _is_boolean(s: pd.Series) -> pd.Series:
    return s.str.strip().str.lower().isin(TRUE_VALUES + FALSE_VALUES)


def _is_binary(s: pd.Series) -> pd.Series:
    return _numbers(s).isin([0, 1])


def _checks(spec: _Spec) -> list[pa.Check]:
    if spec.kind == "category":
        codes = list(spec.codes)
        return [pa.Check(lambda s, codes=codes: s.isin(codes), name="category")]
    if spec.kind == "integer":
        return [pa.Check(_whole_in_range(spec.low, spec.high), name="integer")]
    if spec.kind == "boolean":
        return [pa.Check(_is_boolean, name="boolean")]
    if spec.kind == "binary":
        return [pa.Check(_is_binary, name="binary")]
    if spec.kind == "item":
        return [pa.Check(_whole_in_range(spec.low, spec.high), name="item")]
    return []


def respondent_schema(
    cb: Codebook,
    *,
    required: set[str] | None = None,
    extra_binary: list[str] = (),
    known_institutions: set[str] | None = None,
) -> pa.DataFrameSchema:
    """pandera schema of the raw respondents table, built from the codebook."""
    specs = _respondent_specs(cb, list(extra_binary))
    if required is None:
        required = {c for c, s in specs.items() if not s.nullable}
    columns = {}
    for col, spec in specs.items():
        checks = _checks(spec)
        if col == "instelling" and known_institutions is not None:
            known = sorted(known_institutions)
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name="institution"))
        columns[col] = pa.Column(
            None, checks=checks, nullable=spec.nullable, required=col in required
        )
    return pa.DataFrameSchema(columns, strict=True, name=RESPONDENTS)


# -- institution codes name editions, folders and zip files ---------------------------------
#: An institution code becomes an edition id: a folder, a zip file and a page
#: address. Plain letters, digits, - and _ (no space, no path separator, no
#: dot, so no `..`), starting with a letter or digit, at most 40 characters.
EDITION_ID_MAX = 40
EDITION_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{EDITION_ID_MAX - 1}}}")
#: Ids no institution may take, compared case-insensitively: the national
#: edition's, and names that Windows cannot give a folder once a zip is unpacked.
RESERVED_IDS = frozenset(
    [NATIONAL, "con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(1, 10)]
)


def _plain_id(s: pd.Series) -> pd.Series:
    return s.map(lambda v: not isinstance(v, str) or bool(EDITION_ID.fullmatch(v)))


def _not_reserved(s: pd.Series) -> pd.Series:
    return ~s.str.casefold().isin(RESERVED_IDS)


def _unique_ignoring_case(s: pd.Series) -> pd.Series:
    """False where another code differs only in upper/lower case (exact repeats are `unique`'s to report)."""
    folded = s.str.casefold()
    spellings = s.groupby(folded).transform("nunique")
    return spellings.fillna(1).le(1)


def _edition_id_checks() -> list[pa.Check]:
    return [
        pa.Check(_plain_id, name="edition_id"),
        pa.Check(_not_reserved, name="reserved_id"),
        pa.Check(_unique_ignoring_case, name="case_unique"),
    ]


def institution_schema(cb: Codebook) -> pa.DataFrameSchema:
    """pandera schema of the raw institutions table, built from the codebook."""
    columns = {
        col: pa.Column(
            None,
            checks=_checks(spec) + (_edition_id_checks() if col == "instelling" else []),
            nullable=spec.nullable,
            required=not spec.nullable,
            unique=col == "instelling",
        )
        for col, spec in _institution_specs(cb).items()
    }
    return pa.DataFrameSchema(columns, strict=True, name=INSTITUTIONS)


# -- validation -------------------------------------------------------------------------
def validate_respondents(
    raw: pd.DataFrame,
    file: str,
    cb: Codebook | None = None,
    *,
    known_institutions: set[str] | None = None,
    institutions_file: str = "de instellingentabel",
) -> list[InputProblem]:
    """Every problem of the raw respondents table (empty list when valid)."""
    cb = cb or load_codebook()
    extras = _extra_binary_columns(raw.columns, cb)
    specs = _respondent_specs(cb, extras)
    required = _required_columns(raw, cb, specs)
    schema = respondent_schema(
        cb, required=required, extra_binary=extras, known_institutions=known_institutions
    )
    context = _Context(file, cb, specs, raw, institutions_file)
    problems = _run_schema(schema, raw, context)
    problems += duplicate_respondents(raw, file)
    problems += theme_none_conflicts(raw, file, cb)
    return _ordered(problems, list(specs), list(raw.columns))


def validate_institutions(raw: pd.DataFrame, file: str, cb: Codebook | None = None) -> list[InputProblem]:
    """Every problem of the raw institutions table (empty list when valid)."""
    cb = cb or load_codebook()
    specs = _institution_specs(cb)
    context = _Context(file, cb, specs, raw, file)
    problems = _run_schema(institution_schema(cb), raw, context)
    return _ordered(problems, list(specs), list(raw.columns))


@dataclass
class _Context:
    file: str
    cb: Codebook
    specs: dict[str, _Spec]
    raw: pd.DataFrame
    institutions_file: str


def _run_schema(schema: pa.DataFrameSchema, raw: pd.DataFrame, ctx: _Context) -> list[InputProblem]:
    try:
        schema.validate(raw, lazy=True)
    except SchemaErrors as exc:
        return _translate(exc.failure_cases, ctx)
    return []


def _translate(cases: pd.DataFrame, ctx: _Context) -> list[InputProblem]:
    problems = []
    cases = cases.copy()
    cases["column"] = cases["column"].astype(object).where(cases["column"].notna(), None)
    frame_level = cases["schema_context"] == "DataFrameSchema"
    for _, case in cases[frame_level].iterrows():
        problems.append(_frame_problem(str(case["check"]), str(case["failure_case"]), ctx))
    column_cases = cases[~frame_level]
    for (column, check), group in column_cases.groupby(["column", "check"], sort=False):
        index = pd.to_numeric(group["index"], errors="coerce").dropna().astype(int)
        rows = sorted(set(index.tolist()))
        values = [v for v in pd.unique(group["failure_case"].astype(object)) if not _missing(v)]
        problems.append(_column_problem(str(column), str(check), [str(v) for v in values], rows, ctx))
    return problems


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _frame_problem(check: str, name: str, ctx: _Context) -> InputProblem:
    if check == "column_in_schema":
        hint = "Deze kolom staat niet in het codeboek."
        close = difflib.get_close_matches(name, list(ctx.specs), n=1, cutoff=0.75)
        if not close:
            close = [c for c in ctx.specs if c.lower() == name.strip().lower()]
        if close:
            hint += f" Bedoelt u '{close[0]}'?"
        return InputProblem(ctx.file, name, "onbekende kolom", [name], 0, None, hint)
    if check == "column_in_dataframe":
        return InputProblem(ctx.file, name, "verplichte kolom ontbreekt", [], 0, None, _why_required(name, ctx))
    return InputProblem(ctx.file, name or None, f"voldoet niet aan de controle '{check}'", [name], 0, None)


def _why_required(column: str, ctx: _Context) -> str:
    cb = ctx.cb
    try:
        label = cb.label(column)
    except KeyError:
        return ""
    scale = next((s for s in cb.scales.values() if column in s.items), None)
    if scale is not None:
        return (f"De andere items van de schaal '{scale.label}' staan wel in het bestand; "
                f"deze vraag ('{label}') hoort erbij (leeg laten mag, in een meting die de schaal niet vroeg).")
    return f"Deze kolom ('{label}') is verplicht."


@dataclass(frozen=True)
class _Message:
    """What a failed column check tells the user: the problem with one value and with several (`{shown}`: the
    values), and a hint from the column's spec and the context."""

    one: str
    several: str
    hint: object = None  # (column, spec, ctx) -> str | None
    needs_spec: bool = False  # without a spec for the column, the general message


def _binary_hint(column: str, spec: _Spec | None, ctx: _Context) -> str:
    if column not in ctx.cb.respondent_columns:
        return "Een extra kolom voor een thema of motief (thema_…, motief_…) mag alleen 0, 1 of leeg bevatten."
    return "Toegestaan: 0 of 1" + (", of leeg." if spec is None or spec.nullable else ".")


_INVALID = _Message("ongeldige waarde {shown}", "ongeldige waarden {shown}")
#: The one list of Dutch messages for the column checks, by the name pandera reports the check under.
_MESSAGES = {
    "not_nullable": _Message("lege cel", "lege cel", lambda column, spec, ctx: "Deze kolom mag niet leeg zijn."),
    "field_uniqueness": _Message("dubbele code {shown}", "dubbele codes {shown}",
                                 lambda column, spec, ctx: "Elke instelling mag maar één keer voorkomen."),
    "institution": _Message("onbekende instelling {shown}", "onbekende instellingen {shown}",
                            lambda column, spec, ctx: f"Elke instelling moet voorkomen in {ctx.institutions_file}."),
    "edition_id": _Message(
        "ongeldige code {shown}", "ongeldige codes {shown}",
        lambda column, spec, ctx: "Een instellingscode wordt de naam van een editie, een map en een zip-bestand: "
        "gebruik alleen letters, cijfers, - en _ (geen spaties, punten of schuine strepen), begin met een letter of "
        f"cijfer en gebruik hoogstens {EDITION_ID_MAX} tekens."),
    "reserved_id": _Message(
        "gereserveerde code {shown}", "gereserveerde codes {shown}",
        lambda column, spec, ctx: f"'{NATIONAL}' is de landelijke editie en namen als 'con' en 'nul' kan Windows "
        "niet aan een map geven; geef de instelling een andere code (hoofdletters maken geen verschil)."),
    "case_unique": _Message(
        "codes die alleen in hoofdletters verschillen: {shown}", "codes die alleen in hoofdletters verschillen: {shown}",
        lambda column, spec, ctx: "Op Windows en macOS zouden hun edities in dezelfde map belanden; geef elke "
        "instelling een eigen code."),
    "category": _Message("onbekende waarde {shown}", "onbekende waarden {shown}",
                         lambda column, spec, ctx: f"Toegestaan: {', '.join(spec.codes)}.", needs_spec=True),
    "integer": _Message(_INVALID.one, _INVALID.several,
                        lambda column, spec, ctx: f"Verwacht: een jaartal (geheel getal) van {spec.low} tot en met "
                        f"{spec.high}, het jaar van de meting.", needs_spec=True),
    "boolean": _Message(_INVALID.one, _INVALID.several, lambda column, spec, ctx: "Toegestaan: true, false, 1 of 0."),
    "binary": _Message(_INVALID.one, _INVALID.several, _binary_hint),
    "item": _Message("waarde buiten het bereik {shown}", "waarden buiten het bereik {shown}",
                     lambda column, spec, ctx: f"Toegestaan: een geheel getal van {spec.low} tot en met {spec.high}, "
                     "of leeg.", needs_spec=True),
}


def _column_problem(column: str, check: str, values: list[str], rows: list[int], ctx: _Context) -> InputProblem:
    spec = ctx.specs.get(column)
    message = _MESSAGES.get(check, _INVALID)
    if message.needs_spec and spec is None:
        message = _INVALID
    template = message.several if len(values) > 1 else message.one
    shown = values[:MAX_EXAMPLES] if "{shown}" in template else []  # a message that names no values lists none
    hint = message.hint(column, spec, ctx) if message.hint else None
    return InputProblem(ctx.file, column, template.replace("{shown}", _show_values(values)), shown, len(rows),
                        rows[0] + FIRST_DATA_ROW if rows else None, hint)


def _show_values(values: list[str]) -> str:
    def one(v: str) -> str:
        v = v if len(v) <= 40 else v[:37] + "..."
        return f"'{v}'"

    shown = ", ".join(one(v) for v in values[:MAX_EXAMPLES])
    if len(values) > MAX_EXAMPLES:
        shown += f" en nog {len(values) - MAX_EXAMPLES} andere"
    return shown


# -- rules across rows, columns or files -------------------------------------------------
def duplicate_respondents(raw: pd.DataFrame, file: str) -> list[InputProblem]:
    """A `respondent` id may occur once per wave (the same id in several waves is a panel)."""
    if not {"respondent", "meting"} <= set(raw.columns):
        return []
    keys = raw[["meting", "respondent"]].copy()
    keys["meting"] = keys["meting"].str.strip()
    keys = keys[keys["respondent"].notna()]
    involved = keys.duplicated(keep=False)
    if not involved.any():
        return []
    repeats = keys[keys.duplicated(keep="first")]
    pairs = list(dict.fromkeys(zip(repeats["respondent"], repeats["meting"])))
    shown = [f"'{r}' (meting {m})" for r, m in pairs[:MAX_EXAMPLES]]
    text = ", ".join(shown)
    if len(pairs) > MAX_EXAMPLES:
        text += f" en nog {len(pairs) - MAX_EXAMPLES} andere"
    word = "respondenten komen" if len(pairs) > 1 else "respondent komt"
    return [
        InputProblem(
            file,
            "respondent",
            f"{word} meer dan eens voor binnen dezelfde meting: {text}",
            [r for r, _ in pairs[:MAX_EXAMPLES]],
            int(involved.sum()),
            int(repeats.index[0]) + FIRST_DATA_ROW,
            "Een respondent mag per meting maar één keer voorkomen; "
            "in verschillende metingen mag dezelfde code wel (panel).",
        )
    ]


def theme_none_conflicts(raw: pd.DataFrame, file: str, cb: Codebook | None = None) -> list[InputProblem]:
    """`thema_geen` = 1 excludes every other theme (including themes a wave adds)."""
    cb = cb or load_codebook()
    none_col = cb.theme_none
    if none_col not in raw.columns:
        return []
    others = [c for c in raw.columns if c.startswith("thema_") and c != none_col]
    if not others:
        return []
    chose_none = _numbers(raw[none_col]) == 1
    chosen = pd.DataFrame({c: _numbers(raw[c]) == 1 for c in others}, index=raw.index)
    conflict = chose_none & chosen.any(axis=1)
    if not conflict.any():
        return []
    together = [c for c in others if chosen.loc[conflict, c].any()]
    rows = conflict[conflict].index
    return [
        InputProblem(
            file,
            none_col,
            f"{none_col} = 1 samen met een ander thema ({', '.join(together)})",
            together,
            int(conflict.sum()),
            int(rows[0]) + FIRST_DATA_ROW,
            "Wie 'geen enkel thema' kiest, kan geen ander thema kiezen.",
        )
    ]


def _ordered(problems: list[InputProblem], schema_order: list[str], file_order: list[str]) -> list[InputProblem]:
    """Whole-column problems first (unknown, then missing), then by column order."""
    position = {c: i for i, c in enumerate(schema_order)}
    for c in file_order:
        position.setdefault(c, len(position))

    def key(p: InputProblem):
        if p.column is None:
            return (0, 0)
        if p.problem == "onbekende kolom":
            return (1, position.get(p.column, 0))
        if p.problem == "verplichte kolom ontbreekt":
            return (2, position.get(p.column, 0))
        return (3, position.get(p.column, len(position)))

    return sorted(problems, key=key)


# -- typing for analysis -----------------------------------------------------------------
def type_respondents(raw: pd.DataFrame, cb: Codebook | None = None) -> pd.DataFrame:
    """The validated raw respondents table typed for analysis, full column set.

    Categories are Categorical in codebook code order, `meting` int64,
    `volledig` bool, 0/1 and item columns Int8, text columns `string` with
    empty as missing. Contract columns absent from the file (a scale the wave
    does not have, an optional text column) are added as all-missing.
    """
    cb = cb or load_codebook()
    return _typed_frame(raw, _respondent_specs(cb, _extra_binary_columns(raw.columns, cb)))


def type_institutions(raw: pd.DataFrame, cb: Codebook | None = None) -> pd.DataFrame:
    return _typed_frame(raw, _institution_specs(cb or load_codebook()))


def _typed_frame(raw: pd.DataFrame, specs: dict) -> pd.DataFrame:
    """Every column of `specs` typed; columns absent from `raw` come back all-missing."""
    n = len(raw)
    out = {}
    for col, spec in specs.items():
        s = raw[col] if col in raw.columns else pd.Series([None] * n, index=raw.index, dtype="str")
        out[col] = _typed(s, spec)
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def _typed(s: pd.Series, spec: _Spec) -> pd.Series:
    s = s.reset_index(drop=True)
    if spec.kind == "category":
        return pd.Series(pd.Categorical(s, categories=list(spec.codes)), name=s.name)
    if spec.kind == "integer":
        return _numbers(s).astype("int64")
    if spec.kind == "boolean":
        return s.str.strip().str.lower().isin(TRUE_VALUES).astype(bool)
    if spec.kind in ("binary", "item"):
        return _numbers(s).astype("Int8")
    return s.astype("string")
