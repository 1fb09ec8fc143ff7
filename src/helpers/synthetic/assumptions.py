"""Every quantity the synthetic data generator relies on, in one place.

Two kinds of constants live here:

* **Published targets** — figures from the monitor's publications that the
  synthetic data are calibrated to. Each carries its source tag: ``[PUB]``
  with the booklet (Katern A/B/C) or the 2022 slides.
* **Assumptions** — everything the publications do not report (sizes,
  category shares, effect sizes, random-effect spreads, panel share, ...),
  tagged ``[INF]``. These are choices of the synthetic data, *not* findings;
  the book must say so wherever a figure rests on them.

Column names, codes and item lists are never spelled here: they come from the
codebook (``helpers.data.codebook.load_codebook``). Codes used as dictionary keys
below (``"avo"``, ``"gt20"``, ...) are checked against the codebook by the
tests.

Latent quantities are on a standard-normal scale ("sd units"); effects on
choices (themes, motives) are on the logit scale.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.data import derive

# ---------------------------------------------------------------------------
# Waves and sample sizes
# ---------------------------------------------------------------------------
WAVE_MAIN = 2022  # [PUB] the 2022 round is the one Katern A and C report on

N_RESPONDENTS_2022 = 6133  # [PUB] Katern A: teachers with usable data in 2022
N_VOLLEDIG_2022 = 5467  # [PUB] Katern C: teachers who reached the end of the questionnaire
N_RESPONDENTS_2020 = 2400  # [INF] per-wave counts are not published; ~240 per institution at 10 institutions
N_RESPONDENTS_2017 = 1250  # [INF] small Gelderland baseline, ~210 per institution at 6 institutions
VOLLEDIG_SHARE_EARLIER = 0.89  # [INF] completion rate in 2017/2020, taken equal to 2022 (5467/6133)

N_INSTITUTIONS_2022 = 32  # [PUB] slides 2022: 32 participating institutions
INSTITUTION_TYPE_COUNTS = {"roc": 24, "aoc": 3, "vakschool": 5}  # [PUB] slides 2022: 24 ROC's, 3 AOC's, 5 vakscholen
N_INSTITUTIONS_2020 = 10  # [PUB] ixperium.nl: ten institutions took part in 2020
N_INSTITUTIONS_2017 = 6  # [INF] 2017 was a Gelderland baseline; the number is not published
WAVE_SIZES = {2017: N_RESPONDENTS_2017, 2020: N_RESPONDENTS_2020, WAVE_MAIN: N_RESPONDENTS_2022}  # respondents per wave (see above)
WAVE_INSTITUTIONS = {2017: N_INSTITUTIONS_2017, 2020: N_INSTITUTIONS_2020, WAVE_MAIN: N_INSTITUTIONS_2022}  # institutions per wave

# What each synthetic wave asked. [INF from the 2017 table of contents: 2017
# lacked these scales.] The book does not read this: it sees which scales a
# wave answered from the data itself.
SCALES_NOT_IN_2017 = ("geletterd_netwerken", "geletterd_gamen", "geletterd_produceren",
                      "met_data", "met_online", "met_zelfregie")
# The themes and the motive question were asked in the main round only [PUB:
# Katern C is about 2022]; `thema_genai` belongs to a later round and is not generated.
THEMES_ASKED = ("thema_activerend", "thema_differentieren", "thema_blended", "thema_eigenaarschap",
                "thema_beroepspraktijk", "thema_vernieuwend", "thema_geletterdheid", "thema_data",
                "thema_ethiek", "thema_geen")


def scale_asked(scale: str, wave: int) -> bool:
    """Whether the synthetic `wave` asked `scale`."""
    return not (wave == 2017 and scale in SCALES_NOT_IN_2017)

# Fictional institutions: (code, name, type, relative size). Codes are ordered
# by priority: I01..I06 took part in 2017, I01..I10 in 2020, and a small-scale
# data set keeps the first institutions. Sizes are [INF] relative weights
# (ROC's large, AOC's medium, vakscholen small, ~10% of teachers at vakscholen).
INSTITUTIONS = (
    ("I01", "ROC Waldervaart", "roc", 380),
    ("I02", "ROC Oostervenne", "roc", 300),
    ("I03", "AOC Akkerveld", "aoc", 160),
    ("I04", "Vakcollege Beeld en Media Dijkhaven", "vakschool", 130),
    ("I05", "ROC Heemsteyn", "roc", 260),
    ("I06", "ROC Zuiderlinde", "roc", 230),
    ("I07", "ROC Lindevaart", "roc", 340),
    ("I08", "Ravenmeer College", "roc", 210),
    ("I09", "ROC Brammerveld", "roc", 190),
    ("I10", "ROC Westerkade", "roc", 400),
    ("I11", "ROC Valkenweerd", "roc", 240),
    ("I12", "Horstveld College", "roc", 170),
    ("I13", "ROC Eikenrode", "roc", 220),
    ("I14", "AOC Wilgenrijk", "aoc", 140),
    ("I15", "ROC Zandhove", "roc", 200),
    ("I16", "ROC Beekdal", "roc", 150),
    ("I17", "Houtvakschool Eikendonk", "vakschool", 100),
    ("I18", "ROC Duinrand", "roc", 260),
    ("I19", "ROC Polderpoort", "roc", 180),
    ("I20", "ROC Heidemeer", "roc", 210),
    ("I21", "Vakschool Gastvrijheid Kokkelhaven", "vakschool", 110),
    ("I22", "ROC Kanaalzone", "roc", 170),
    ("I23", "ROC Oeverland", "roc", 230),
    ("I24", "AOC Klaverland", "aoc", 150),
    ("I25", "ROC Waterlinie", "roc", 160),
    ("I26", "Maritiem Vakcollege Havenrijk", "vakschool", 120),
    ("I27", "ROC Kwartelkamp", "roc", 140),
    ("I28", "ROC Ijsselweide", "roc", 250),
    ("I29", "Grafisch Vakcollege Letterhof", "vakschool", 130),
    ("I30", "ROC Scheldezoom", "roc", 200),
    ("I31", "ROC Noorderwiek", "roc", 180),
    ("I32", "ROC De Hoge Linde", "roc", 160),
)
SMALL_SCALE_MIN_INSTITUTIONS = 4  # [INF] at scale < 1 keep at least this many institutions so each still has teams of >= 10

# ---------------------------------------------------------------------------
# Teams and domains
# ---------------------------------------------------------------------------
TEAM_SIZE_MEAN = 18  # [INF] respondents per team (cluster/opleiding); teams are split per institution and domain
TEAM_SIZE_CONCENTRATION = 6.0  # [INF] Dirichlet concentration of team sizes within a domain; lower = more unequal teams
# Prefix of team codes per domain, e.g. "zorg-1" (team codes are free text in the contract).
TEAM_PREFIX = {
    "zorg_welzijn": "zorg",
    "techniek": "techniek",
    "economie": "economie",
    "ict_creatief": "ict-media",
    "groen": "groen",
    "gastvrijheid": "horeca",
    "mobiliteit": "mobiliteit",
    "entree": "entree",
    "overig": "overig",
}
# [INF] domain mix of the teachers per institution type (shares per domain code).
DOMAIN_SHARES = {
    "roc": {"zorg_welzijn": 0.25, "techniek": 0.20, "economie": 0.22, "ict_creatief": 0.08, "groen": 0.01,
            "gastvrijheid": 0.08, "mobiliteit": 0.05, "entree": 0.05, "overig": 0.06},
    "aoc": {"groen": 0.78, "economie": 0.05, "techniek": 0.05, "entree": 0.05, "zorg_welzijn": 0.02, "overig": 0.05},
}
# [INF] vakscholen are specialised: domain mix per vakschool code.
VAKSCHOOL_DOMAINS = {
    "I04": {"ict_creatief": 0.85, "economie": 0.10, "overig": 0.05},
    "I17": {"techniek": 0.85, "economie": 0.10, "overig": 0.05},
    "I21": {"gastvrijheid": 0.85, "economie": 0.10, "overig": 0.05},
    "I26": {"mobiliteit": 0.85, "techniek": 0.10, "overig": 0.05},
    "I29": {"ict_creatief": 0.85, "economie": 0.10, "overig": 0.05},
}

# ---------------------------------------------------------------------------
# Background characteristics (2022 shares; earlier waves use the same)
# ---------------------------------------------------------------------------
VAK_SHARES = {"avo": 0.37, "beroeps": 0.63}  # [INF] avo share solved from the Bijlage 1 avo/beroeps theme percentages (~0.32-0.43)
# Functie given vak: instructeurs teach vocational subjects only. Overall 90/7/3 [PUB] slides 2022.
FUNCTIE_TARGET = {"docent": 0.90, "instructeur": 0.07, "overig": 0.03}  # [PUB] slides 2022: 90% docent, 7% instructeur, 3% overig
FUNCTIE_SHARES_BY_VAK = {
    "avo": {"docent": 0.97, "instructeur": 0.0, "overig": 0.03},  # [INF] no avo instructeurs
    "beroeps": {"docent": 0.859, "instructeur": 0.111, "overig": 0.030},  # [INF] solved so that the total is 90/7/3
}
ERVARING_SHARES = {"lt1": 0.06, "1-3": 0.14, "4-5": 0.09, "6-10": 0.16, "11-20": 0.29, "gt20": 0.26}  # [INF] many side-entrants, large senior group
# Leeftijd given ervaring [INF]; solved so that 60plus is 17% overall and 36% among gt20 [PUB].
LEEFTIJD_SHARES_BY_ERVARING = {
    "lt1": {"lt30": 0.40, "30-39": 0.30, "40-49": 0.17, "50-59": 0.10, "60plus": 0.03},
    "1-3": {"lt30": 0.30, "30-39": 0.31, "40-49": 0.20, "50-59": 0.13, "60plus": 0.06},
    "4-5": {"lt30": 0.18, "30-39": 0.35, "40-49": 0.23, "50-59": 0.16, "60plus": 0.08},
    "6-10": {"lt30": 0.04, "30-39": 0.38, "40-49": 0.31, "50-59": 0.19, "60plus": 0.08},
    "11-20": {"lt30": 0.0, "30-39": 0.10, "40-49": 0.40, "50-59": 0.34, "60plus": 0.16},
    "gt20": {"lt30": 0.0, "30-39": 0.0, "40-49": 0.12, "50-59": 0.52, "60plus": 0.36},
}
LEEFTIJD_60PLUS_TARGET = 0.17  # [PUB] Katern A/slides: 17% of teachers are 60 or older
LEEFTIJD_60PLUS_GT20_TARGET = 0.36  # [PUB] Katern A/slides: 36% in the most experienced group
# Years of experience / age covered by each category (to age people between waves) [INF].
ERVARING_YEARS = {"lt1": (0, 1), "1-3": (1, 4), "4-5": (4, 6), "6-10": (6, 11), "11-20": (11, 21), "gt20": (21, 40)}
LEEFTIJD_YEARS = {"lt30": (22, 30), "30-39": (30, 40), "40-49": (40, 50), "50-59": (50, 60), "60plus": (60, 67)}
# Bevoegdheid given vak [INF]: avo teachers mostly graded teachers, vocational teachers often pdg.
BEVOEGDHEID_SHARES_BY_VAK = {
    "avo": {"eerstegraads": 0.30, "tweedegraads": 0.55, "pabo": 0.05, "pdg": 0.07, "geen": 0.03},
    "beroeps": {"eerstegraads": 0.06, "tweedegraads": 0.38, "pabo": 0.02, "pdg": 0.44, "geen": 0.10},
}

# ---------------------------------------------------------------------------
# Professionalisation (six activity types, last three years)
# ---------------------------------------------------------------------------
PROF_ANY_TARGET = 0.87  # [PUB] Katern A (cited in C): 87% professionalised in onderwijs met ict 2019-2022
# [INF] number of activities 0..6; share of 0 is the published 13%, >= 3 is 45%.
PROF_COUNT_SHARES = (0.13, 0.20, 0.22, 0.20, 0.13, 0.08, 0.04)
# [INF] relative popularity of each activity type (Gumbel top-k weights, codebook order of activities).
PROF_ACTIVITY_WEIGHTS = (0.62, 0.72, 0.32, 0.36, 0.24, 0.14)
PROF_COUNT_WAVE_CORRELATION = 0.6  # [INF] correlation of a panel member's activity level between waves

# ---------------------------------------------------------------------------
# Completion of the questionnaire
# ---------------------------------------------------------------------------
NONCOMPLETER_STOP_BEFORE_OVER = 0.35  # [INF] share of non-completers who stopped before the lesgeven-over-ict block
COMPLETER_PRACTICE_EFFECT = 0.15  # [INF] completers report slightly more teaching with/about ict [PUB direction, Katern C fn 3]

# ---------------------------------------------------------------------------
# Latent model of competences and practice (sd units)
# ---------------------------------------------------------------------------
INSTITUTION_RE_SD = 0.12  # [INF] institution random effect; smaller than the team effect [PUB direction, Katern A]
TEAM_RE_SD = 0.35  # [INF] team random effect within institutions
TEAM_RE_SD_COMPETENCE = 0.20  # [INF] team random effect on competences (teams matter less for self-rated competence)
INSTITUTION_RE_SD_COMPETENCE = 0.08  # [INF] institution random effect on competences
COMPETENCE_AVO = 0.35  # [INF] avo teachers feel more competent [PUB direction, Katern A]
COMPETENCE_PROF = 0.30  # [INF] competence per sd of the number of activities (professionalising teachers are more competent)
COMPETENCE_AGE_60PLUS = -0.20  # [INF] the oldest teachers rate their ict competence somewhat lower
PRACTICE_ON_COMPETENCE = 0.55  # [INF] competences relate to practice [PUB direction, Katern A]
PRACTICE_PROF = 0.25  # [INF] professionalising teachers use ict more [PUB direction, Katern B]
PRACTICE_STARTER = -0.65  # [INF] starting teachers (< 1 year) use ict less [PUB direction, Katern A]; strong enough
# that the book calls every starter comparison on lesgeven met ict notable (Hedges g >= .2, p_holm < .05)
PRACTICE_VAKSCHOOL = 0.35  # [INF] teachers at vakscholen stand out positively [PUB direction, Katern A]
PRACTICE_DOMAIN = {  # [INF] domain effects on practice [PUB direction, Katern A: ict/creatief and economie high, entree low]
    "zorg_welzijn": -0.05, "techniek": -0.05, "economie": 0.30, "ict_creatief": 0.50, "groen": -0.05,
    "gastvrijheid": -0.10, "mobiliteit": -0.10, "entree": -0.50, "overig": 0.0,
}
OVER_ON_MET = 0.60  # [INF] loading of the lesgeven-over-ict latent on the lesgeven-met-ict latent
OVER_RESIDUAL_SD = 0.80  # [INF] own variation of the lesgeven-over-ict latent
MEERWAARDE_ON_COMPETENCE = 0.50  # [INF] teachers who are more competent see more added value
SCALE_UNIQUE_SD = 0.55  # [INF] scale-specific person variation on top of the domain latent
# Scale-specific effects of vak (positive = avo higher) [INF]; directions [PUB, Katern A].
SCALE_AVO_EFFECT = {
    "geletterd": 0.20, "vaardig": 0.20,  # avo feel more competent (on top of COMPETENCE_AVO)
    "over_informatie": 0.55,  # avo pay more attention to informatievaardigheden
    "over_instrumenteel": -0.55,  # beroeps pay more attention to instrumentele vaardigheden
    "met_bpv": -0.80,  # beroeps use ict in the beroepspraktijk / bpv more
}
# Mean item score (1-5) and item spread per answer format / scale [INF].
ITEM_MEAN = {  # by domain, with scale overrides below
    "visie": 3.7, "geletterd": 3.6, "vaardig": 3.4, "innoveren": 3.4, "met": 2.6,
    # [INF] lesgeven over ict below most lesgeven-met-ict practices [PUB direction, Katern A: too little attention
    # for students' ict-geletterdheid]: its three scales sit between ict in the bpv and data use, not above them
    "over": 2.3,
}
ITEM_MEAN_SCALE = {  # [INF] published: little ict for zelfregie and bpv; novel ict is rare
    "met_zelfregie": 2.0, "met_bpv": 2.1, "met_vernieuwend": 1.8, "met_data": 2.3, "met_online": 3.0,
    "geletterd_gamen": 2.8, "geletterd_produceren": 2.9, "visie_studentgestuurd": 3.3,
}
ITEM_LATENT_SD = 0.75  # [INF] item points per sd of the scale latent
ITEM_NOISE_SD = 0.55  # [INF] item-specific noise in item points (gives alpha ~ .8 for 3-4 items)

# Wave shifts for respondents seen only in an earlier wave (sd units) [INF]: ict use grew 2017 -> 2022.
WAVE_SHIFT = {2017: -0.30, 2020: -0.12, 2022: 0.0}

# ---------------------------------------------------------------------------
# Panel (Katern B)
# ---------------------------------------------------------------------------
PANEL_SHARE_2020_IN_2022 = 0.35  # [INF] share of 2020 respondents who also answered in 2022 (same id)
PANEL_SHARE_2017_IN_2020 = 0.40  # [INF] share of 2017 respondents who also answered in 2020
PANEL_SHARE_IN_NEXT_WAVE = {2017: PANEL_SHARE_2017_IN_2020, 2020: PANEL_SHARE_2020_IN_2022}  # per earlier wave (see above)
# Growth of a scale latent between two waves of a panel member (sd units) [INF]:
GROWTH_BASE = 0.05  # [INF] growth without any professionalisation
GROWTH_PER_ACTIVITY = 0.10  # [INF] extra growth per activity in the later wave [PUB direction, Katern B]
GROWTH_BASE_DECLINE = {"met_zelfregie": -0.40, "met_data": -0.40}  # [INF] without professionalisation these decline [PUB direction, Katern B]
GROWTH_NOISE_SD = 0.30  # [INF] individual variation in growth

# The same Katern B directions in the cross-section of each earlier wave (its respondents who are not panel
# members; panel members get the growth above). The book compares waves as repeated cross-sections, so these
# decide what it can see. The main wave's values are the cross-sectional model above: its rows do not change.
# [INF] competence per sd of the number of activities, per wave: the advantage of professionalising teachers grew
# over the waves [PUB direction, Katern B: teachers who professionalise grow more in competences]
COMPETENCE_PROF_BY_WAVE = {2017: 0.05, 2020: 0.10, WAVE_MAIN: COMPETENCE_PROF}
# [INF] how much higher (sd units) teachers without any activity scored on these scales per wave before the main
# wave: the decline of GROWTH_BASE_DECLINE [PUB direction, Katern B: without professionalisation ict for zelfregie
# and data-based monitoring decline]
NO_PROF_EARLIER_LEVEL = {sid: -decline for sid, decline in GROWTH_BASE_DECLINE.items()}

# ---------------------------------------------------------------------------
# Meerwaarde groups
# ---------------------------------------------------------------------------
# The rule that turns the meerwaarde items into a group is the book's derived
# variable, defined once in helpers.data.derive (mean >= 3.5 "veel", <= 2.5
# "weinig_geen", else "enige" [INF] rule); the generator uses that same rule.
MEERWAARDE_SCALE = derive.MEERWAARDE_SCALE  # codebook scale behind the meerwaarde groups
MEERWAARDE_VEEL_MIN = derive.MEERWAARDE_VEEL_MIN  # [INF] defined in helpers.data.derive
MEERWAARDE_WEINIG_MAX = derive.MEERWAARDE_WEINIG_MAX  # [INF] defined in helpers.data.derive
MEERWAARDE_TARGET = {"veel": 0.79, "enige": 0.19, "weinig_geen": 0.02}  # [PUB] Katern A (cited in C): 79% (much), 2% little/none; 19% between [INF]
meerwaarde_group = derive.meerwaarde_group  # the one implementation of the rule


# ---------------------------------------------------------------------------
# Typology (koplopers / peloton / achterblijvers)
# ---------------------------------------------------------------------------
TYPOLOGY_BINS = 5  # [INF] practice score cut into quintiles: lowest = achterblijvers, highest = koplopers, rest = peloton


def practice_bins(mean_score: pd.Series, n_bins: int = TYPOLOGY_BINS) -> pd.Series:
    """Quantile bin (0 = lowest) of a practice mean score, ties kept together."""
    ranks = mean_score.rank(method="average", pct=True)
    return np.minimum((ranks * n_bins).apply(np.ceil) - 1, n_bins - 1).clip(lower=0).astype("Int64")


def practice_typology(mean_score: pd.Series) -> pd.Series:
    """Koplopers (top quintile), achterblijvers (bottom quintile), peloton. [INF] method."""
    b = practice_bins(mean_score)
    return pd.Series(np.where(b == TYPOLOGY_BINS - 1, "koplopers", np.where(b == 0, "achterblijvers", "peloton")),
                     index=mean_score.index, dtype=object)


# ---------------------------------------------------------------------------
# Themes for the next two years (Katern C) — volledig 2022 rows
# ---------------------------------------------------------------------------
THEME_TARGET = {  # [PUB] Katern C fig. 2.1 (n = 5,467)
    "thema_activerend": 0.48, "thema_differentieren": 0.46, "thema_blended": 0.34, "thema_eigenaarschap": 0.31,
    "thema_beroepspraktijk": 0.29, "thema_vernieuwend": 0.24, "thema_geletterdheid": 0.22, "thema_data": 0.14,
    "thema_ethiek": 0.14, "thema_geen": 0.09,
}
THEMES_ANY_TARGET = 0.91  # [PUB] Katern C: 91% chose at least one theme
THEMES_FOUR_PLUS_TARGET = 0.26  # [PUB] Katern C: 26% chose four or more themes
THEMES_MANY = 4  # [PUB] Katern C reports the share choosing four or more themes

# Groups used in theme targets: name -> (column, codes). Columns are codebook
# variables or derived ones ("type", "prof3", "typology", "meerwaarde").
THEME_GROUPS = {
    "avo": ("vak", ("avo",)),
    "beroeps": ("vak", ("beroeps",)),
    "starters": ("ervaring", ("lt1",)),
    "ervaring_1_3": ("ervaring", ("1-3",)),
    "ervaring_4_5": ("ervaring", ("4-5",)),
    "ervaring_1_5": ("ervaring", ("1-3", "4-5")),
    "ervaring_11_20": ("ervaring", ("11-20",)),
    "ervaring_gt20": ("ervaring", ("gt20",)),
    "eerstegraads": ("bevoegdheid", ("eerstegraads",)),
    "pabo": ("bevoegdheid", ("pabo",)),
    "vakschool": ("type", ("vakschool",)),
    "instructeurs": ("functie", ("instructeur",)),
    "entree": ("domein", ("entree",)),
    "koplopers": ("typology", ("koplopers",)),
    "achterblijvers": ("typology", ("achterblijvers",)),
    "meerwaarde_weinig": ("meerwaarde", ("weinig_geen",)),
    "meerwaarde_enige": ("meerwaarde", ("enige",)),
    "prof3": ("prof3", (True,)),
}

# Bijlage 1 [PUB] Katern C: (theme, group, published % of the group, direction).
# Ranges in the source ("52-54%") are split over the two experience groups.
# Entries marked calibrate=False follow from the complementary group.
BIJLAGE1 = (
    ("thema_activerend", "avo", 0.54, "meer", True),
    ("thema_activerend", "starters", 0.64, "meer", True),
    ("thema_activerend", "ervaring_1_3", 0.54, "meer", True),
    ("thema_activerend", "ervaring_4_5", 0.53, "meer", True),
    ("thema_activerend", "ervaring_gt20", 0.45, "minder", True),
    ("thema_activerend", "eerstegraads", 0.40, "minder", True),
    ("thema_activerend", "vakschool", 0.39, "minder", True),
    ("thema_activerend", "instructeurs", 0.36, "minder", True),
    ("thema_differentieren", "ervaring_1_3", 0.55, "meer", True),
    ("thema_differentieren", "ervaring_4_5", 0.52, "meer", True),
    ("thema_differentieren", "avo", 0.50, "meer", True),
    ("thema_differentieren", "beroeps", 0.43, "minder", False),
    ("thema_differentieren", "ervaring_gt20", 0.39, "minder", True),
    ("thema_differentieren", "instructeurs", 0.32, "minder", True),
    ("thema_blended", "ervaring_1_3", 0.39, "meer", True),
    ("thema_blended", "ervaring_4_5", 0.39, "meer", True),
    ("thema_blended", "ervaring_gt20", 0.27, "minder", True),
    ("thema_blended", "instructeurs", 0.22, "minder", True),
    ("thema_eigenaarschap", "instructeurs", 0.21, "minder", True),
    ("thema_beroepspraktijk", "starters", 0.44, "meer", True),
    ("thema_beroepspraktijk", "ervaring_1_5", 0.35, "meer", True),
    ("thema_beroepspraktijk", "beroeps", 0.36, "meer", False),
    ("thema_beroepspraktijk", "ervaring_11_20", 0.26, "minder", True),
    ("thema_beroepspraktijk", "ervaring_gt20", 0.24, "minder", True),
    ("thema_beroepspraktijk", "avo", 0.14, "minder", True),
    ("thema_vernieuwend", "starters", 0.36, "meer", True),
    ("thema_vernieuwend", "ervaring_1_3", 0.28, "meer", True),
    ("thema_vernieuwend", "ervaring_4_5", 0.28, "meer", True),
    ("thema_vernieuwend", "beroeps", 0.29, "meer", False),
    ("thema_vernieuwend", "ervaring_gt20", 0.18, "minder", True),
    ("thema_vernieuwend", "pabo", 0.14, "minder", True),
    ("thema_vernieuwend", "avo", 0.16, "minder", True),
    ("thema_geletterdheid", "entree", 0.50, "meer", True),
    ("thema_geletterdheid", "ervaring_4_5", 0.30, "meer", True),
    ("thema_geletterdheid", "avo", 0.28, "meer", True),
    ("thema_geletterdheid", "ervaring_11_20", 0.20, "minder", True),
    ("thema_geletterdheid", "ervaring_gt20", 0.18, "minder", True),
    ("thema_geletterdheid", "beroeps", 0.18, "minder", False),
    ("thema_data", "ervaring_gt20", 0.10, "minder", True),
    ("thema_data", "instructeurs", 0.08, "minder", True),
    ("thema_data", "pabo", 0.04, "minder", True),
    ("thema_ethiek", "instructeurs", 0.08, "minder", True),
    ("thema_geen", "instructeurs", 0.14, "meer", True),
    ("thema_geen", "ervaring_gt20", 0.14, "meer", True),
    ("thema_geen", "vakschool", 0.13, "meer", True),  # [INF] published 12%; 13% so the test over roc/aoc/vakschool is significant (p <= .05) as in the book
)
BIJLAGE1_ALPHA = 0.05  # [PUB] Katern C Bijlage 1: differences significant at p <= .05

# Share choosing >= 4 themes / none per group [PUB] Katern C ch. 2, except where marked [INF].
THEMES_FOUR_PLUS_BY_GROUP = {
    "starters": 0.38,  # [PUB] 38% of starters choose four or more
    "ervaring_1_3": 0.31,  # [PUB] 1-5 years: "just over 30%"
    "ervaring_4_5": 0.31,  # [PUB] idem
    "ervaring_gt20": 0.20,  # [PUB] 80% of the most experienced choose at most three
    "koplopers": 0.32,  # [PUB] koplopers: more than 30% choose four or more
    "meerwaarde_weinig": 0.02,  # [PUB] little/no meerwaarde: only 2% choose four or more
}
THEMES_NONE_BY_GROUP = {
    "starters": 0.03,  # [PUB] 3% of starters choose none
    "ervaring_1_3": 0.05,  # [PUB] 1-5 years: about 5% none
    "ervaring_4_5": 0.05,  # [PUB] idem
    "achterblijvers": 0.15,  # [PUB] about 15% of achterblijvers choose none
    "meerwaarde_weinig": 0.35,  # [INF] teachers who see little value in ict often want no ict theme
    "meerwaarde_enige": 0.14,  # [INF] in between
}
# [INF] number of themes among teachers choosing any (1..9). Mean 2.88 = 2.62/0.91 so that it matches the
# published theme shares; >= 4 is 0.2857 = 26/91 [PUB]. Counts are hardly more spread than independent
# choices would give, so the count is drawn first and the themes then chosen within it.
THEME_COUNT_SHARES = (0.21, 0.245, 0.2593, 0.14, 0.075, 0.04, 0.02, 0.007, 0.0037)
THEME_PROF3_EFFECT = 0.8  # [INF] logit effect of >= 3 activities on the number of themes ([PUB] direction: every theme more often)
THEME_NONE_PER_ACTIVITY = -0.20  # [INF] logit effect per activity on choosing no theme ([PUB] direction: geen group professionalised less)
THEME_CALIBRATION_SWEEPS = 200  # maximum number of passes over all calibration knobs (technical)
THEME_CALIBRATION_DAMPING = 0.9  # step size of a calibration update, as a fraction of the logit gap (technical)
THEME_CALIBRATION_DECAY = 10  # the step size halves after this many sweeps, so discrete shares settle (technical)
CALIBRATION_TOLERANCE = 0.002  # calibrated shares end within 0.2 points of their target ...
CALIBRATION_TOLERANCE_PERSONS = 2  # ... or within this many persons in small groups (technical)

# ---------------------------------------------------------------------------
# Motives (open question, Katern C) — volledig 2022 rows
# ---------------------------------------------------------------------------
MOTIVE_ANSWER_SHARE = 0.77  # [INF] share of completers answering the open question; [PUB] "more than 4,000" of 5,467
MOTIVE_ANSWER_ON_ENGAGEMENT = 0.5  # [INF] engaged respondents answer the open question more often (logit per sd)
# Share of answers carrying each code [INF]; only the order is published [PUB] Katern C ch. 3.
# The sum (1.57) is the mean number of codes per answer.
MOTIVE_SHARES = {
    "motief_bijblijven": 0.36, "motief_repertoire": 0.30, "motief_toepasbaar": 0.24,
    "motief_beroepsvaardigheden": 0.19, "motief_geletterdheid_student": 0.15, "motief_eigen_geletterdheid": 0.12,
    "motief_gepersonaliseerd": 0.09, "motief_facilitering": 0.07, "motief_kritisch": 0.05,
}
# Logit effects on motive codes [INF]; directions [PUB] Katern C 3.2.
MOTIVE_EFFECTS = {
    "motief_beroepsvaardigheden": {"instructeur": 1.2, "beroeps": 1.3},
    "motief_repertoire": {"docent": 0.9},
    "motief_bijblijven": {"prof3": 0.6},
    "motief_kritisch": {"meerwaarde": -0.9},  # per sd of the meerwaarde latent
}
MOTIVE_STRATA_BINS = 5  # [INF] codes are drawn with equal quotas within quintiles of met x over practice: no typology differences [PUB]

# ---------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------
RESPONDENT_ID_PREFIX = "R"  # pseudonymous ids "R00001" ... (random order)
RESPONDENT_ID_DIGITS = 5  # width of the number in respondent ids
