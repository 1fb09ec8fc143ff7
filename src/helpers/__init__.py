"""Helpers of the Monitor Leren en lesgeven met ict in het mbo research book.

One room per concern, one way through (validate -> execute -> render -> check):
  data/       reading and checking data: codebook, readers, validation, derive, dataset, quotes
  stats/      statistics shown in the book
  book/       what every page uses: edition (what a chapter sees), disclosure, figures,
              widgets, publish, dutch, escaping
  chapters/   what each chapter shows: common, introduction, teams; katern_c/ (and katern_a/,
              katern_b/ as they land), each with its notebooks in notebooks/katern_<x>/
  pipeline/   building editions: build, edition_manifest, execute, cache, memo, render,
              assets, check, manifest, deliver
  synthetic/  the calibrated synthetic data set
  cli         the `monitorbook` command
"""
