"""Helpers of the Monitor Leren en lesgeven met ict in het mbo research book.

A house in layers, one way through (validate -> execute -> render -> check); a
module imports its own layer and those below it, never one above
(tests/test_layers.py):
  cli         the `monitorbook` command
  pipeline/   building editions: build, execute, cache, render, assets, check, manifest, deliver, ...
  chapters/   what each chapter shows and says: common, introduction, teams, praatplaat, katern_a/,
              katern_b/, katern_c/, each with its notebooks in notebooks/katern_<x>/
  book/       what every page uses: edition (what a chapter sees), disclosure, figures, widgets,
              publish, escaping
  stats/      statistics shown in the book (numbers; the sentences are the chapters')
  data/       reading and checking data: codebook, readers, validation, waves, derive, dataset, quotes
  core/       the ground floor: memo, code_version, edition_manifest, integrity, paths, dutch
  synthetic/  the calibrated synthetic data set (beside the house: uses core and data)
"""
