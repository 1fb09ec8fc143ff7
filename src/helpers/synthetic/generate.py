"""Deterministic synthetic survey data calibrated to the published figures.

``generate(seed, scale, institutions)`` returns the respondents table (one
row per respondent per wave, every contract column in codebook order) and the
institutions table. ``write(out_dir, seed, scale, institutions)`` writes them
as ``respondenten.csv`` and ``instellingen.csv``.

Every number the generator relies on lives in ``assumptions.py``. Shares that
are published are hit exactly by quotas (exact counts, randomly ordered) or by
calibrating model intercepts on the realised sample, so the tolerance does not
depend on luck. Each part of the data draws from its own random stream, so the
result depends only on ``seed``, ``scale`` and ``institutions``.
"""
from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtri

from helpers.data import derive
from helpers.data.codebook import load_codebook

from helpers.synthetic import assumptions as A
from helpers.synthetic.texts import compose

RESPONDENTS_FILE = "respondenten.csv"
INSTITUTIONS_FILE = "instellingen.csv"


# ---------------------------------------------------------------------------
# small tools
# ---------------------------------------------------------------------------
def _rng(seed: int, name: str) -> np.random.Generator:
    """An independent random stream per part of the data."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _apportion(total: int, weights) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=int)
    raw = w / w.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _quota(rng: np.random.Generator, n: int, shares: dict) -> np.ndarray:
    """Exactly apportioned categories for n people, in random order."""
    codes = list(shares)
    counts = _apportion(n, [shares[c] for c in codes])
    out = np.repeat(np.array(codes, dtype=object), counts)
    return rng.permutation(out)


def _quota_by(rng: np.random.Generator, strata: np.ndarray, shares_for) -> np.ndarray:
    """Quota assignment within each stratum; `shares_for(stratum)` gives the shares."""
    out = np.empty(len(strata), dtype=object)
    for key in pd.unique(strata):
        idx = np.flatnonzero(strata == key)
        out[idx] = _quota(rng, len(idx), shares_for(key))
    return out


def _top_k(score: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the k highest scores (ties broken by position)."""
    mask = np.zeros(len(score), dtype=bool)
    if k > 0:
        mask[np.argsort(-score, kind="stable")[:k]] = True
    return mask


def _logit(p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _years_in(rng, cats: np.ndarray, table: dict) -> np.ndarray:
    lo = np.array([table[c][0] for c in cats], dtype=float)
    hi = np.array([table[c][1] for c in cats], dtype=float)
    return lo + rng.random(len(cats)) * (hi - lo)


def _category_of(years: np.ndarray, table: dict) -> np.ndarray:
    codes = list(table)
    edges = np.array([table[c][0] for c in codes[1:]], dtype=float)
    return np.array(codes, dtype=object)[np.searchsorted(edges, years, side="right")]


# ---------------------------------------------------------------------------
# institutions and sizes
# ---------------------------------------------------------------------------
def _institutions(scale: float, count: int | None = None) -> pd.DataFrame:
    """The institutions of the main wave; `sjabloon` is the fictional institution each one copies.

    `count` institutions (default: the monitor's, fewer at scale < 1) are the
    fictional ones in order, repeated with a number after the name when more
    are asked: the mix of types and sizes stays the monitor's.
    """
    rows = pd.DataFrame(A.INSTITUTIONS, columns=["instelling", "naam", "type", "gewicht"])
    if count is None:
        if scale < 1:
            keep = max(A.SMALL_SCALE_MIN_INSTITUTIONS, int(round(A.WAVE_INSTITUTIONS[A.WAVE_MAIN] * scale)))
            rows = rows.iloc[: min(keep, len(rows))]
        return rows.assign(sjabloon=rows["instelling"]).reset_index(drop=True)
    template = rows.iloc[np.arange(count) % len(rows)].reset_index(drop=True)
    copy = np.arange(count) // len(rows)
    width = max(2, len(str(count)))  # I01 ... I32 as in the monitor, I001 ... beyond 99
    return pd.DataFrame({
        "instelling": [f"I{k + 1:0{width}d}" for k in range(count)],
        "naam": [name if c == 0 else f"{name} {c + 1}" for name, c in zip(template["naam"], copy)],
        "type": template["type"],
        "gewicht": template["gewicht"],
        "sjabloon": template["instelling"],
    })


def _growth_factor(count: int | None) -> float:
    """Respondents and institutions per wave relative to the monitor's (1 without a number of institutions)."""
    return 1.0 if count is None else count / A.WAVE_INSTITUTIONS[A.WAVE_MAIN]


def _wave_institutions(inst: pd.DataFrame, wave: int, factor: float = 1.0) -> pd.DataFrame:
    return inst.iloc[: min(max(1, int(round(A.WAVE_INSTITUTIONS[wave] * factor))), len(inst))]


def _wave_size(wave: int, scale: float) -> int:
    return max(1, int(round(A.WAVE_SIZES[wave] * scale)))


def _domain_shares(template: str, itype: str) -> dict:
    if itype == "vakschool":
        return A.VAKSCHOOL_DOMAINS[template]
    return A.DOMAIN_SHARES[itype]


# ---------------------------------------------------------------------------
# people
# ---------------------------------------------------------------------------
def _teams(rng, people: pd.DataFrame) -> np.ndarray:
    """Split each institution x domain group into teams of about TEAM_SIZE_MEAN."""
    team = np.empty(len(people), dtype=object)
    for (code, dom), idx in people.groupby(["instelling", "domein"], sort=True).indices.items():
        n_teams = max(1, int(round(len(idx) / A.TEAM_SIZE_MEAN)))
        sizes = _apportion(len(idx), rng.dirichlet(np.full(n_teams, A.TEAM_SIZE_CONCENTRATION)))
        labels = np.repeat([f"{A.TEAM_PREFIX[dom]}-{k + 1}" for k in range(n_teams)], sizes)
        team[idx] = rng.permutation(labels.astype(object))
    return team


def _background(rng, people: pd.DataFrame) -> pd.DataFrame:
    """Vak, functie, ervaring, leeftijd, bevoegdheid by exact quotas within completion strata."""
    vol = people["volledig"].to_numpy()
    people["vak"] = _quota_by(rng, vol, lambda k: A.VAK_SHARES)
    strata = np.array([f"{v}|{w}" for v, w in zip(vol, people["vak"])], dtype=object)
    people["functie"] = _quota_by(rng, strata, lambda k: A.FUNCTIE_SHARES_BY_VAK[k.split("|")[1]])
    people["bevoegdheid"] = _quota_by(rng, strata, lambda k: A.BEVOEGDHEID_SHARES_BY_VAK[k.split("|")[1]])
    people["ervaring"] = _quota_by(rng, vol, lambda k: A.ERVARING_SHARES)
    strata = np.array([f"{v}|{e}" for v, e in zip(vol, people["ervaring"])], dtype=object)
    people["leeftijd"] = _quota_by(rng, strata, lambda k: A.LEEFTIJD_SHARES_BY_ERVARING[k.split("|")[1]])
    people["ervaring_jaren"] = _years_in(rng, people["ervaring"].to_numpy(), A.ERVARING_YEARS)
    people["leeftijd_jaren"] = _years_in(rng, people["leeftijd"].to_numpy(), A.LEEFTIJD_YEARS)
    return people


def _prof_counts(rng, score: np.ndarray, volledig: np.ndarray) -> np.ndarray:
    """Number of activities: exact PROF_COUNT_SHARES per completion stratum, ranked by score."""
    count = np.zeros(len(score), dtype=int)
    for v in (True, False):
        idx = np.flatnonzero(volledig == v)
        if len(idx) == 0:
            continue
        sizes = _apportion(len(idx), A.PROF_COUNT_SHARES)
        order = idx[np.argsort(score[idx], kind="stable")]
        count[order] = np.repeat(np.arange(len(sizes)), sizes)
    return count


def _activities(rng, count: np.ndarray) -> np.ndarray:
    """Which activity types: Gumbel top-k with the popularity weights."""
    w = np.log(np.asarray(A.PROF_ACTIVITY_WEIGHTS))
    keys = w[None, :] + rng.gumbel(size=(len(count), len(w)))
    ranks = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return (ranks < count[:, None]).astype(int)


# ---------------------------------------------------------------------------
# latent model and items
# ---------------------------------------------------------------------------
def _random_effects(seed: int, people: pd.DataFrame) -> dict[str, np.ndarray]:
    """Institution and team random effects, fixed per unit (shared by all waves)."""
    rng = _rng(seed, "random-effects")
    out = {}
    inst_codes = sorted(set(people["instelling"]))
    team_keys = sorted(set(zip(people["instelling"], people["team"])))
    for name, sd_i, sd_t in (("C", A.INSTITUTION_RE_SD_COMPETENCE, A.TEAM_RE_SD_COMPETENCE),
                             ("M", A.INSTITUTION_RE_SD, A.TEAM_RE_SD)):
        ri = dict(zip(inst_codes, rng.normal(0, sd_i, len(inst_codes))))
        rt = dict(zip(team_keys, rng.normal(0, sd_t, len(team_keys))))
        out[name] = (ri, rt)
    return out


def _scale_latents(rng, people: pd.DataFrame, re: dict, wave: int) -> np.ndarray:
    """Cross-sectional model: one latent per scale (n x n_scales)."""
    cb = load_codebook()
    n = len(people)
    avo = (people["vak"].to_numpy() == "avo").astype(float)
    prof = people["prof_aantal"].to_numpy().astype(float)
    levels = np.arange(len(A.PROF_COUNT_SHARES))
    prof_mean = float(np.dot(levels, A.PROF_COUNT_SHARES))
    prof_sd = float(np.sqrt(np.dot((levels - prof_mean) ** 2, A.PROF_COUNT_SHARES)))
    prof_z = (prof - prof_mean) / prof_sd
    inst = people["instelling"].to_numpy()
    team = list(zip(people["instelling"], people["team"]))
    ri_c, rt_c = re["C"]
    ri_m, rt_m = re["M"]
    re_c = np.array([ri_c[i] for i in inst]) + np.array([rt_c.get(t, 0.0) for t in team])
    re_m = np.array([ri_m[i] for i in inst]) + np.array([rt_m.get(t, 0.0) for t in team])
    shift = A.WAVE_SHIFT[wave]
    C = (re_c + A.COMPETENCE_AVO * avo + A.COMPETENCE_PROF_BY_WAVE[wave] * prof_z
         + A.COMPETENCE_AGE_60PLUS * (people["leeftijd"].to_numpy() == "60plus") + shift + rng.standard_normal(n))
    V = A.MEERWAARDE_ON_COMPETENCE * C + rng.standard_normal(n)
    dom = np.array([A.PRACTICE_DOMAIN[d] for d in people["domein"]])
    M = (A.PRACTICE_ON_COMPETENCE * C + dom + re_m + A.PRACTICE_PROF * prof_z
         + A.PRACTICE_STARTER * (people["ervaring"].to_numpy() == "lt1")
         + A.PRACTICE_VAKSCHOOL * (people["type"].to_numpy() == "vakschool")
         + A.COMPLETER_PRACTICE_EFFECT * people["volledig"].to_numpy() + shift + rng.standard_normal(n))
    O = A.OVER_ON_MET * M + A.OVER_RESIDUAL_SD * rng.standard_normal(n)
    factor = {"visie": C, "geletterd": C, "vaardig": C, "innoveren": C, "met": M, "over": O}
    lat = np.empty((n, len(cb.scales)))
    for j, (sid, s) in enumerate(cb.scales.items()):
        base = V if sid == derive.MEERWAARDE_SCALE else factor[s.domain]
        eff = A.SCALE_AVO_EFFECT.get(sid, A.SCALE_AVO_EFFECT.get(s.domain, 0.0))
        lat[:, j] = base + eff * (avo - A.VAK_SHARES["avo"]) + A.SCALE_UNIQUE_SD * rng.standard_normal(n)
    steps = sum(1 for w in A.WAVE_SIZES if wave < w <= A.WAVE_MAIN)  # waves between this one and the main wave
    if steps:  # earlier waves only: the main wave's latents stay exactly as they are
        for sid, level in A.NO_PROF_EARLIER_LEVEL.items():
            lat[:, list(cb.scales).index(sid)] += steps * level * (prof == 0)
    return lat


def _growth(count_later: np.ndarray, rng) -> np.ndarray:
    """Growth of every scale latent between two waves of a panel member."""
    cb = load_codebook()
    base = np.array([A.GROWTH_BASE_DECLINE.get(sid, A.GROWTH_BASE) for sid in cb.scales])
    return (base[None, :] + A.GROWTH_PER_ACTIVITY * count_later[:, None]
            + A.GROWTH_NOISE_SD * rng.standard_normal((len(count_later), len(base))))


def _items(rng, lat: np.ndarray, wave: int, stop_before_over: np.ndarray) -> dict[str, np.ndarray]:
    """Item scores 1-5 (float, NaN = missing) from the scale latents."""
    cb = load_codebook()
    out = {}
    for j, (sid, s) in enumerate(cb.scales.items()):
        mean = A.ITEM_MEAN_SCALE.get(sid, A.ITEM_MEAN[s.domain])
        present = A.scale_asked(sid, wave)
        for col in s.items:
            if not present:
                out[col] = np.full(len(lat), np.nan)
                continue
            x = mean + A.ITEM_LATENT_SD * lat[:, j] + A.ITEM_NOISE_SD * rng.standard_normal(len(lat))
            v = np.clip(np.rint(x), 1, 5)
            if s.domain == "over":
                v = np.where(stop_before_over, np.nan, v)
            out[col] = v
    return out


def _force_meerwaarde_groups(rng, items: dict, group: np.ndarray) -> None:
    """Nudge the meerwaarde items so their mean falls in each teacher's target group."""
    cb = load_codebook()
    cols = cb.scales[derive.MEERWAARDE_SCALE].items
    X = np.column_stack([items[c] for c in cols])
    k = len(cols)
    lo = {"veel": np.ceil(derive.MEERWAARDE_VEEL_MIN * k), "enige": np.floor(derive.MEERWAARDE_WEINIG_MAX * k) + 1,
          "weinig_geen": k}
    hi = {"veel": 5 * k, "enige": np.ceil(derive.MEERWAARDE_VEEL_MIN * k) - 1,
          "weinig_geen": np.floor(derive.MEERWAARDE_WEINIG_MAX * k)}
    lo_v = np.array([lo[g] for g in group])
    hi_v = np.array([hi[g] for g in group])
    for _ in range(5 * k):
        s = X.sum(axis=1)
        up = s < lo_v
        down = s > hi_v
        if not (up.any() or down.any()):
            break
        jit = rng.random(X.shape) * 1e-3  # breaks ties between equal items at random
        # raise the lowest item / lower the highest item by one point
        j_up = np.argmin(X + jit, axis=1)
        j_dn = np.argmax(X + jit, axis=1)
        r = np.flatnonzero(up)
        X[r, j_up[r]] = np.minimum(X[r, j_up[r]] + 1, 5)
        r = np.flatnonzero(down)
        X[r, j_dn[r]] = np.maximum(X[r, j_dn[r]] - 1, 1)
    for i, c in enumerate(cols):
        items[c] = X[:, i]


# ---------------------------------------------------------------------------
# themes (Katern C)
# ---------------------------------------------------------------------------
def _group_masks(df: pd.DataFrame) -> dict[str, np.ndarray]:
    masks = {}
    for name, (col, codes) in A.THEME_GROUPS.items():
        masks[name] = df[col].isin(list(codes)).to_numpy()
    return masks


def _tolerance(mask: np.ndarray) -> float:
    """How close a calibrated share must come: a hair, or one person in small groups."""
    return max(A.CALIBRATION_TOLERANCE, A.CALIBRATION_TOLERANCE_PERSONS / max(int(mask.sum()), 1))


def _damping(sweep: int) -> float:
    """Step size of a calibration update; shrinks over the sweeps so discrete shares settle."""
    return A.THEME_CALIBRATION_DAMPING / (1 + sweep / A.THEME_CALIBRATION_DECAY)


def _calibrate_none(rng, masks, prof_count) -> np.ndarray:
    """Who chooses no theme: logit model with group effects, calibrated on the
    realised sample one knob at a time (Gauss-Seidel, like raking)."""
    cb = load_codebook()
    n = len(prof_count)
    noise = rng.logistic(size=n)
    everyone = np.ones(n, dtype=bool)
    knobs = [(everyone, A.THEME_TARGET[cb.theme_none])]
    knobs += [(masks[g], p) for (t, g, p, _, cal) in A.BIJLAGE1 if t == cb.theme_none and cal]
    knobs += [(masks[g], p) for g, p in A.THEMES_NONE_BY_GROUP.items()]
    knobs = [(m, p) for m, p in knobs if m.any()]  # small data sets may lack a group
    eta = _logit(A.THEME_TARGET[cb.theme_none]) + A.THEME_NONE_PER_ACTIVITY * (prof_count - prof_count.mean())
    for sweep in range(A.THEME_CALIBRATION_SWEEPS):
        worst = 0.0
        for mask, p in knobs:
            got = (eta[mask] + noise[mask] > 0).mean()
            worst = max(worst, abs(got - p) / _tolerance(mask))
            eta[mask] += _damping(sweep) * (_logit(p) - _logit(got))
        if worst <= 1:
            break
    return eta + noise > 0


def _theme_counts(rng, masks, geen: np.ndarray, n_theme_total: int) -> np.ndarray:
    """How many themes each teacher chooses (0 for the 'geen' group).

    Choosers are ranked on a latent 'appetite' (group effects + >= 3
    activities + logistic noise) and get counts by exact quotas
    (THEME_COUNT_SHARES), highest appetite most themes. The group effects are
    calibrated so each group's share choosing >= THEMES_MANY themes is met; the
    quotas are nudged so the total number of choices equals the sum of the
    published theme shares.
    """
    n = len(geen)
    choosers = np.flatnonzero(~geen)
    shares = np.asarray(A.THEME_COUNT_SHARES)
    sizes = _apportion(len(choosers), shares)
    values = np.arange(1, len(shares) + 1)
    gap = n_theme_total - int((sizes * values).sum())
    below, above = A.THEMES_MANY - 3, A.THEMES_MANY - 2  # indices of the counts 2 and 3: moving between them keeps >= 4 intact
    shift = int(np.clip(gap, -sizes[above], sizes[below]))
    sizes[below] -= shift
    sizes[above] += shift
    ladder = np.repeat(values, sizes)
    noise = rng.logistic(size=n)
    latent = noise + A.THEME_PROF3_EFFECT * masks["prof3"]
    knobs = [(masks[g], p) for g, p in A.THEMES_FOUR_PLUS_BY_GROUP.items() if masks[g].any()]

    def counts_of(lat):
        out = np.zeros(n, dtype=int)
        out[choosers[np.argsort(lat[choosers], kind="stable")]] = ladder
        return out

    for sweep in range(A.THEME_CALIBRATION_SWEEPS):
        worst = 0.0
        for mask, p in knobs:
            got = (counts_of(latent)[mask] >= A.THEMES_MANY).mean()
            worst = max(worst, abs(got - p) / _tolerance(mask))
            latent[mask] += _damping(sweep) * (_logit(p) - _logit(got))
        if worst <= 1:
            break
    return counts_of(latent)


def _theme_choices(score: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each teacher's `count` themes with the highest score."""
    ordered = -np.sort(-score, axis=1)
    cut = ordered[np.arange(len(score)), np.maximum(counts - 1, 0)]
    return (score >= cut[:, None]) & (counts[:, None] > 0)


def _substantive_themes(cb) -> list[str]:
    """The themes a synthetic teacher can choose, in codebook order."""
    return [t for t in cb.themes if t in A.THEMES_ASKED and t != cb.theme_none]


def _calibrate_themes(rng, masks, geen: np.ndarray) -> np.ndarray:
    """Theme choices of the volledig rows.

    First the number of themes per teacher (`_theme_counts`), then which ones:
    the `count` themes with the highest theme score = theme intercept +
    Bijlage 1 group effects + fixed Gumbel noise. Intercepts and group effects
    are calibrated on the realised sample one knob at a time (Gauss-Seidel,
    like raking) until every published share is met.
    """
    cb = load_codebook()
    themes = _substantive_themes(cb)
    n, T = len(geen), len(themes)
    n_total = int(sum(round(A.THEME_TARGET[t] * n) for t in themes))
    counts = _theme_counts(rng, masks, geen, n_total)
    score = np.log([A.THEME_TARGET[t] for t in themes])[None, :] + rng.gumbel(size=(n, T))
    everyone = np.ones(n, dtype=bool)
    knobs = [(k, everyone, A.THEME_TARGET[t]) for k, t in enumerate(themes)]
    knobs += [(themes.index(t), masks[g], p) for (t, g, p, _, cal) in A.BIJLAGE1
              if cal and t in themes and masks[g].any()]
    chosen = _theme_choices(score, counts)
    for sweep in range(A.THEME_CALIBRATION_SWEEPS):
        worst = 0.0
        for k, mask, p in knobs:
            got = chosen[mask, k].mean()
            worst = max(worst, abs(got - p) / _tolerance(mask))
            score[mask, k] += _damping(sweep) * (_logit(p) - _logit(got))
            chosen[mask] = _theme_choices(score[mask], counts[mask])
        if worst <= 1:
            break
    return _theme_choices(score, counts)


# ---------------------------------------------------------------------------
# motives (Katern C)
# ---------------------------------------------------------------------------
def _motives(rng, df: pd.DataFrame, engagement: np.ndarray, meerwaarde_z: np.ndarray,
             strata: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which volledig rows answer, their codes (n x 9 bool) and composed texts."""
    cb = load_codebook()
    motives = list(cb.motives)
    n = len(df)
    answered = _top_k(A.MOTIVE_ANSWER_ON_ENGAGEMENT * engagement + rng.logistic(size=n),
                      int(round(A.MOTIVE_ANSWER_SHARE * n)))
    x = {
        "instructeur": (df["functie"] == "instructeur").to_numpy(float),
        "docent": (df["functie"] == "docent").to_numpy(float),
        "beroeps": (df["vak"] == "beroeps").to_numpy(float),
        "prof3": (df["prof_aantal"] >= load_codebook().many_activities_threshold).to_numpy(float),
        "meerwaarde": meerwaarde_z,
    }
    score = rng.logistic(size=(n, len(motives)))
    for m, effs in A.MOTIVE_EFFECTS.items():
        j = motives.index(m)
        for var, b in effs.items():
            score[:, j] += b * x[var]
    shares = np.array([A.MOTIVE_SHARES[m] for m in motives])
    primary_share = shares / shares.sum()
    secondary_share = shares - primary_share
    codes = np.zeros((n, len(motives)), dtype=bool)
    primary = np.full(n, -1)
    for key in pd.unique(strata[answered]):
        idx = np.flatnonzero(answered & (strata == key))
        k_primary = _apportion(len(idx), primary_share)
        free = np.ones(len(idx), dtype=bool)
        for j in reversed(range(len(motives))):  # rarest first: its effects stay clean
            cand = idx[free]
            pick = _top_k(score[cand, j], k_primary[j])
            primary[cand[pick]] = j
            codes[cand[pick], j] = True
            free[np.flatnonzero(free)[pick]] = False
        k_second = _apportion(int(round(len(idx) * secondary_share.sum())), secondary_share)
        for j in range(len(motives)):
            cand = idx[primary[idx] != j]
            pick = _top_k(score[cand, j], min(k_second[j], len(cand)))
            codes[cand[pick], j] = True
    texts = np.full(n, None, dtype=object)
    for i in np.flatnonzero(answered):
        chosen = [motives[primary[i]]] + [motives[j] for j in rng.permutation(np.flatnonzero(codes[i]))
                                          if j != primary[i]]
        texts[i] = compose(rng, chosen)
    return answered, codes, texts


# ---------------------------------------------------------------------------
# waves
# ---------------------------------------------------------------------------
def _people_main(seed: int, inst: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Everyone of the main wave: institution, completion, domain, team, background, activities."""
    rng = _rng(seed, f"people-{A.WAVE_MAIN}")
    n = _wave_size(A.WAVE_MAIN, scale)
    n_vol = int(round(A.N_VOLLEDIG_2022 / A.N_RESPONDENTS_2022 * n))
    sizes = _apportion(n, inst["gewicht"])
    people = pd.DataFrame({"instelling": np.repeat(inst["instelling"].to_numpy(), sizes)})
    people["type"] = people["instelling"].map(dict(zip(inst["instelling"], inst["type"])))
    template = dict(zip(inst["instelling"], inst["sjabloon"]))
    people["engagement"] = rng.standard_normal(n)
    people["volledig"] = _top_k(people["engagement"].to_numpy() + rng.logistic(size=n), n_vol)
    dom = np.empty(n, dtype=object)
    for code, idx in people.groupby("instelling", sort=True).indices.items():
        dom[idx] = _quota(rng, len(idx), _domain_shares(template[code], people["type"].iloc[idx[0]]))
    people["domein"] = dom
    people["team"] = _teams(rng, people)
    people = _background(rng, people)
    people["prof_aantal"] = _prof_counts(rng, rng.standard_normal(n), people["volledig"].to_numpy())
    people["meting"] = A.WAVE_MAIN
    return people


def _earlier_wave(seed: int, wave: int, later: pd.DataFrame, teams: pd.DataFrame,
                  inst: pd.DataFrame, scale: float, panel_share: float, factor: float = 1.0) -> pd.DataFrame:
    """Rows of an earlier wave: a panel part (people of the later wave, aged back) and new people."""
    rng = _rng(seed, f"people-{wave}")
    winst = _wave_institutions(inst, wave, factor)
    n = _wave_size(wave, scale * factor)
    sizes = _apportion(n, winst["gewicht"])
    gap = later["meting"].iloc[0] - wave
    min_age = min(lo for lo, _ in A.LEEFTIJD_YEARS.values())
    parts = []
    for (code, itype), size in zip(zip(winst["instelling"], winst["type"]), sizes):
        pool = later[(later["instelling"] == code)
                     & (later["ervaring_jaren"] > gap) & (later["leeftijd_jaren"] - gap >= min_age)]
        k = min(int(round(panel_share * size)), len(pool))
        panel = pool.iloc[np.sort(rng.choice(len(pool), k, replace=False))].copy()
        panel["ervaring_jaren"] -= gap
        panel["leeftijd_jaren"] -= gap
        panel["later_index"] = panel.index
        fresh = pd.DataFrame({"instelling": [code] * (size - k), "type": itype})
        tpool = teams[teams["instelling"] == code]
        pick = rng.choice(len(tpool), size - k, p=(tpool["n"] / tpool["n"].sum()).to_numpy())
        fresh["team"] = tpool["team"].to_numpy()[pick]
        fresh["domein"] = tpool["domein"].to_numpy()[pick]
        fresh["later_index"] = -1
        parts.append(panel)
        parts.append(fresh)
    people = pd.concat(parts, ignore_index=True)
    people["meting"] = wave
    people["engagement"] = rng.standard_normal(len(people))
    people["volledig"] = _top_k(people["engagement"].to_numpy() + rng.logistic(size=len(people)),
                                int(round(A.VOLLEDIG_SHARE_EARLIER * len(people))))
    is_panel = people["later_index"].to_numpy() >= 0
    fresh_bg = _background(rng, people.loc[~is_panel, ["volledig"]].copy())
    for col in ("vak", "functie", "bevoegdheid", "ervaring_jaren", "leeftijd_jaren"):
        people.loc[~is_panel, col] = fresh_bg[col].to_numpy()
    people["ervaring"] = _category_of(people["ervaring_jaren"].to_numpy(float), A.ERVARING_YEARS)
    people["leeftijd"] = _category_of(people["leeftijd_jaren"].to_numpy(float), A.LEEFTIJD_YEARS)
    # activity level: panel members keep part of their later level
    later_count = np.where(is_panel, later["prof_aantal"].reindex(people["later_index"]).to_numpy(), 0)
    n_people = len(people)
    rank_z = ndtri((pd.Series(later_count).rank().to_numpy() - 0.5) / n_people)  # normal scores
    rho = A.PROF_COUNT_WAVE_CORRELATION
    score = np.where(is_panel, rho * rank_z, 0) + np.sqrt(1 - rho ** 2) * rng.standard_normal(len(people))
    people["prof_aantal"] = _prof_counts(rng, score, people["volledig"].to_numpy())
    return people


def _respondent_ids(seed: int, n_people: int) -> np.ndarray:
    rng = _rng(seed, "ids")
    width = max(A.RESPONDENT_ID_DIGITS, len(str(n_people)))
    nums = rng.permutation(n_people) + 1
    return np.array([f"{A.RESPONDENT_ID_PREFIX}{k:0{width}d}" for k in nums], dtype=object)


def generate(seed: int = 2022, scale: float = 1.0, institutions: int | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic respondents (all waves) and institutions tables.

    Same seed, scale and institutions give identical tables. scale < 1 gives a
    smaller data set (fewer respondents, at least SMALL_SCALE_MIN_INSTITUTIONS
    institutions). `institutions`: that many institutions in the main wave
    with the same calibration -- respondents and the institutions of the
    earlier waves grow in proportion, so each institution keeps its size; the
    monitor's number gives the default data set.
    """
    cb = load_codebook()
    if institutions is not None and institutions < 1:
        raise ValueError("institutions must be at least 1")
    inst = _institutions(scale, institutions)
    factor = _growth_factor(institutions)

    # -- people: the main wave, then each earlier wave from the one after it
    waves = sorted(A.WAVE_SIZES, reverse=True)
    assert waves[0] == A.WAVE_MAIN
    people = {A.WAVE_MAIN: _people_main(seed, inst, scale * factor)}
    teams = people[A.WAVE_MAIN].groupby(["instelling", "team", "domein"], sort=True).size().rename("n").reset_index()
    for later, wave in zip(waves, waves[1:]):
        people[wave] = _earlier_wave(seed, wave, people[later], teams, inst, scale,
                                     A.PANEL_SHARE_IN_NEXT_WAVE[wave], factor)

    # person ids: the main wave, then the new people of each earlier wave; panel members keep theirs
    is_new = {w: (people[w]["later_index"] < 0).to_numpy() if w != A.WAVE_MAIN else np.ones(len(people[w]), bool)
              for w in waves}
    ids = _respondent_ids(seed, sum(int(v.sum()) for v in is_new.values()))
    used = 0
    for i, wave in enumerate(waves):
        p = people[wave]
        p["respondent"] = None
        if i > 0:
            later = people[waves[i - 1]]
            p.loc[~is_new[wave], "respondent"] = later["respondent"].to_numpy()[
                p.loc[~is_new[wave], "later_index"].to_numpy().astype(int)]
        k = int(is_new[wave].sum())
        p.loc[is_new[wave], "respondent"] = ids[used:used + k]
        used += k

    # -- latents: cross-sectional model; panel members = later latent minus growth
    re = _random_effects(seed, people[A.WAVE_MAIN])
    lat = {w: _scale_latents(_rng(seed, f"latent-{w}"), people[w], re, w) for w in waves}
    grng = _rng(seed, "growth")
    for later, wave in zip(waves, waves[1:]):
        panel = np.flatnonzero(~is_new[wave])
        li = people[wave]["later_index"].to_numpy()[panel].astype(int)
        lat[wave][panel] = lat[later][li] - _growth(people[later]["prof_aantal"].to_numpy()[li], grng)

    # -- items and activities ------------------------------------------
    for wave in waves:
        p = people[wave]
        irng = _rng(seed, f"items-{wave}")
        stop = (~p["volledig"].to_numpy()) & (irng.random(len(p)) < A.NONCOMPLETER_STOP_BEFORE_OVER)
        items = _items(irng, lat[wave], wave, stop)
        if wave == A.WAVE_MAIN:
            j = list(cb.scales).index(derive.MEERWAARDE_SCALE)
            groups = ("weinig_geen", "enige", "veel")  # low to high
            group = np.empty(len(p), dtype=object)
            for v in (True, False):
                idx = np.flatnonzero(p["volledig"].to_numpy() == v)
                order = idx[np.argsort(lat[wave][idx, j], kind="stable")]
                counts = _apportion(len(idx), [A.MEERWAARDE_TARGET[g] for g in groups])
                group[order] = np.repeat(np.array(groups, dtype=object), counts)
            _force_meerwaarde_groups(irng, items, group)
        acts = _activities(_rng(seed, f"activities-{wave}"), p["prof_aantal"].to_numpy())
        new = {col: acts[:, k] for k, col in enumerate(cb.activities)} | items
        new |= {col: np.nan for col in [*A.THEMES_ASKED, *cb.motives]}
        new[cb.motive_text] = None
        people[wave] = pd.concat([p, pd.DataFrame(new, index=p.index)], axis=1)
    p22 = people[A.WAVE_MAIN]

    # -- themes and motives (main wave, volledig) -----------------------
    vol = p22["volledig"].to_numpy()
    d = p22.loc[vol].copy()
    met_cols = [c for sid, s in cb.scales.items() if s.domain == "met" for c in s.items]
    over_cols = [c for sid, s in cb.scales.items() if s.domain == "over" for c in s.items]
    met_mean = d[met_cols].mean(axis=1)
    over_mean = d[over_cols].mean(axis=1)
    d["typology"] = A.practice_typology(met_mean).to_numpy()
    mw = d[cb.scales[derive.MEERWAARDE_SCALE].items].mean(axis=1)
    d["meerwaarde"] = derive.meerwaarde_group(mw).to_numpy()
    d["prof3"] = d["prof_aantal"] >= cb.many_activities_threshold
    masks = _group_masks(d)
    trng = _rng(seed, "themes")
    geen = _calibrate_none(trng, masks, d["prof_aantal"].to_numpy().astype(float))
    chosen = _calibrate_themes(trng, masks, geen)
    for k, col in enumerate(_substantive_themes(cb)):
        p22.loc[vol, col] = chosen[:, k].astype(float)
    p22.loc[vol, cb.theme_none] = geen.astype(float)

    strata = (A.practice_bins(met_mean).to_numpy().astype(int) * A.MOTIVE_STRATA_BINS
              + A.practice_bins(over_mean.fillna(met_mean)).to_numpy().astype(int))
    mw_z = ((mw - mw.mean()) / mw.std()).to_numpy()
    answered, codes, texts = _motives(_rng(seed, "motives"), d, d["engagement"].to_numpy(), mw_z, strata)
    vol_idx = np.flatnonzero(vol)
    p22.loc[vol_idx[answered], cb.motive_text] = texts[answered]
    for k, col in enumerate(cb.motives):
        p22.loc[vol_idx[answered], col] = codes[answered, k].astype(float)

    # -- assemble ---------------------------------------------------------
    resp = pd.concat([people[w] for w in sorted(waves)], ignore_index=True)
    resp = resp.sort_values(["meting", "instelling", "team", "respondent"], kind="stable").reset_index(drop=True)
    resp = resp[[c for c in cb.respondent_columns if c not in cb.themes or c in A.THEMES_ASKED]].copy()
    int_cols = list(cb.activities) + cb.item_columns + list(A.THEMES_ASKED) + list(cb.motives)
    for col in int_cols:
        resp[col] = pd.array(resp[col], dtype="Int64")
    resp["meting"] = resp["meting"].astype("int64")
    resp["volledig"] = resp["volledig"].astype(bool)
    for col, spec in cb.respondent_variables.items():
        if spec["type"] in ("string", "category"):
            resp[col] = resp[col].astype(object)
    institutions = inst[list(cb.institution_variables)].copy()
    return resp, institutions


def to_csv_text(df: pd.DataFrame) -> str:
    """CSV text as shipped: comma separated, header, empty = missing, booleans true/false."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = np.where(out[col], "true", "false")
    return out.to_csv(index=False, lineterminator="\n")


def write(out_dir: Path | str, seed: int = 2022, scale: float = 1.0,
          institutions: int | None = None) -> tuple[Path, Path]:
    """Generate and write respondenten.csv and instellingen.csv to out_dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    resp, inst = generate(seed=seed, scale=scale, institutions=institutions)
    paths = (out_dir / RESPONDENTS_FILE, out_dir / INSTITUTIONS_FILE)
    for df, path in zip((resp, inst), paths):
        path.write_text(to_csv_text(df), encoding="utf-8", newline="")
    return paths
