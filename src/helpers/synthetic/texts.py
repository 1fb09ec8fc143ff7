"""Fictional Dutch answers to the open motive question (Katern C).

The question ends in "Voor mij is het belangrijk dat…"; most answers continue
that sentence. Every answer is composed from fragments of the motive
categories it is coded with, so text and codes always agree. The fragments
are written for this project (not taken from the monitor's quotes) and contain
nothing that identifies a person, team or institution.
"""
from __future__ import annotations

import numpy as np

# Subordinate clauses that continue "…belangrijk dat", per motive code.
CLAUSES: dict[str, tuple[str, ...]] = {
    "motief_bijblijven": (
        "ik bij de tijd blijf",
        "ik op de hoogte blijf van nieuwe ontwikkelingen",
        "ik mee kan blijven gaan met de digitale ontwikkelingen",
        "ik aansluit bij de belevingswereld van mijn studenten",
        "ik niet achterloop op mijn studenten als het om ict gaat",
        "mijn kennis over ict actueel blijft",
        "ik weet wat er speelt rond nieuwe technologie",
        "ik de snelle veranderingen in de digitale wereld kan bijhouden",
        "ik up-to-date blijf, want de wereld om ons heen verandert snel",
        "ik blijf meebewegen met wat er in de samenleving gebeurt",
        "ik niet stil blijf staan terwijl alles om me heen digitaliseert",
    ),
    "motief_repertoire": (
        "ik nieuwe werkvormen met ict leer kennen",
        "mijn lessen afwisselender en aantrekkelijker worden",
        "ik ict zo inzet dat studenten er beter door leren",
        "ik meer mogelijkheden krijg om mijn lessen te verrijken",
        "ik handvatten krijg om ict didactisch slim in te zetten",
        "de inzet van ict echt iets toevoegt voor de student",
        "ik mijn didactische repertoire kan uitbreiden",
        "studenten actiever en betrokkener zijn in de les",
        "ik inspiratie opdoe voor nieuwe lesideeën",
        "mijn onderwijs er voor studenten beter van wordt",
    ),
    "motief_toepasbaar": (
        "ik het geleerde meteen in mijn eigen lessen kan gebruiken",
        "het praktisch is en aansluit bij mijn dagelijkse werk",
        "ik er de volgende dag mee aan de slag kan",
        "het concreet is en niet te theoretisch",
        "het direct bruikbaar is in mijn eigen vak",
        "het aansluit bij wat ik in de klas nodig heb",
        "ik er tijdens de bijeenkomst zelf mee kan oefenen",
        "het toepasbaar is op mijn eigen lesmateriaal",
    ),
    "motief_beroepsvaardigheden": (
        "studenten leren werken met de software die in hun beroep gebruikt wordt",
        "studenten goed voorbereid zijn op de digitale kant van hun vak",
        "ik weet welke technologie er in het werkveld gebruikt wordt",
        "mijn studenten straks mee kunnen in de praktijk van het bedrijfsleven",
        "onze opleiding aansluit bij de ontwikkelingen in de branche",
        "studenten de digitale vaardigheden leren die werkgevers van hen vragen",
        "ik studenten kan laten oefenen met apparatuur en systemen uit het beroep",
        "de opleiding niet achterloopt op het werkveld",
    ),
    "motief_geletterdheid_student": (
        "studenten leren kritisch om te gaan met informatie op internet",
        "studenten digitaal vaardig worden voor hun verdere leven",
        "studenten zich veilig en verantwoord bewegen op sociale media",
        "studenten goed leren omgaan met hun privacy online",
        "studenten de basisvaardigheden op de computer beheersen",
        "studenten leren hoe ze betrouwbare bronnen vinden",
        "mijn studenten als digitale burgers kunnen meedoen in de maatschappij",
    ),
    "motief_eigen_geletterdheid": (
        "ik zelf handiger word met de computer",
        "ik zelf vaardiger word in het gebruik van programma's en apps",
        "ik me zekerder voel bij het gebruik van digitale middelen",
        "ik de programma's die we gebruiken goed onder de knie krijg",
        "ik zelf niet vastloop als de techniek het laat afweten",
        "mijn eigen digitale vaardigheden op peil zijn",
    ),
    "motief_gepersonaliseerd": (
        "ik beter kan inspelen op verschillen tussen studenten",
        "studenten in hun eigen tempo en op hun eigen niveau kunnen werken",
        "ik met ict kan differentiëren in mijn lessen",
        "elke student de ondersteuning krijgt die bij hem of haar past",
        "studenten meer keuzes krijgen in hun leerroute",
        "ik beter zicht krijg op de voortgang van individuele studenten",
    ),
    "motief_facilitering": (
        "er voldoende tijd beschikbaar is om me te ontwikkelen",
        "de apparatuur en het netwerk op school goed werken",
        "er ondersteuning is als ik ergens tegenaan loop",
        "professionalisering ingeroosterd wordt en niet bovenop het gewone werk komt",
        "het team en de leidinggevende erachter staan",
        "er goede afspraken zijn over welke middelen we gebruiken",
    ),
    "motief_kritisch": (
        "ict een middel blijft en geen doel op zich",
        "we kritisch blijven kijken naar wat ict echt oplevert",
        "ict alleen wordt ingezet als het een duidelijke meerwaarde heeft",
        "het persoonlijke contact met studenten niet verloren gaat",
        "we niet zomaar elke nieuwe hype volgen",
        "we ook oog houden voor de nadelen van veel schermgebruik",
    ),
}

# Short stand-alone answers (a single code only).
SHORT: dict[str, tuple[str, ...]] = {
    "motief_bijblijven": ("Bijblijven.", "Digitaal bij de les blijven!", "Met de tijd mee blijven gaan", "Bij de tijd blijven."),
    "motief_repertoire": ("Meer variatie in mijn lessen.", "Nieuwe lesideeën opdoen"),
    "motief_toepasbaar": ("Praktisch en direct toepasbaar.", "Bruikbaarheid in de les"),
    "motief_beroepsvaardigheden": ("Aansluiting bij het werkveld.",),
    "motief_geletterdheid_student": ("Digitale vaardigheden van studenten.",),
    "motief_eigen_geletterdheid": ("Mijn eigen vaardigheden verbeteren.",),
    "motief_gepersonaliseerd": ("Maatwerk voor studenten.",),
    "motief_facilitering": ("Tijd en ondersteuning.", "Dat het gefaciliteerd wordt."),
    "motief_kritisch": ("Ict moet een hulpmiddel zijn, geen doel.",),
}

OPENERS = ("", "", "", "dat ", "Ik vind het belangrijk dat ", "Het is voor mij belangrijk dat ")
JOINERS = (" en dat ", ", en dat ", ". Ook vind ik het belangrijk dat ", ". Daarnaast dat ", " en ", "; verder dat ")
ENDINGS = (".", ".", "", "!", ".")
SHORT_ANSWER_SHARE = 0.12  # share of single-code answers given as a short stand-alone phrase
CAPITALISED_SHARE = 0.5  # share of continuing answers that start with a capital letter


def compose(rng: np.random.Generator, codes: list[str]) -> str:
    """One answer in Dutch expressing exactly the given motive codes (first = main)."""
    if len(codes) == 1 and rng.random() < SHORT_ANSWER_SHARE:
        options = SHORT[codes[0]]
        return options[rng.integers(len(options))]
    parts = [CLAUSES[c][rng.integers(len(CLAUSES[c]))] for c in codes]
    opener = OPENERS[rng.integers(len(OPENERS))]
    text = opener + parts[0]
    for part in parts[1:]:
        text += JOINERS[rng.integers(len(JOINERS))] + part
    text += ENDINGS[rng.integers(len(ENDINGS))]
    if rng.random() < CAPITALISED_SHARE or opener[:1].isupper():
        text = text[0].upper() + text[1:]
    # capitalise the start of every new sentence
    pieces = text.split(". ")
    text = ". ".join(p[:1].upper() + p[1:] for p in pieces)
    return text
