"""Helpers of the Monitor Leren en lesgeven met ict in het mbo research book.

One module per concern:
  codebook      names, codes and Dutch labels (data/codebook.yaml)
  readers       reading survey exports (CSV, Parquet, SPSS .sav)
  validation    checking the whole input against the data contract
  synthetic     the calibrated synthetic data set
  stats         statistics shown in the book
  figures       drawing figures (one seaborn style)
  widgets       offline-interactive views (ipywidgets + jslink)
  publish       what a notebook shows: figures, tables and their CSVs
  dutch         Dutch number formatting
  editions      which editions exist and their parameters
  execute       running chapter notebooks with papermill
  render        assembling and compiling an edition with Jupyter Book
  check         checks of a built edition
  build         validate -> execute -> render -> check, per edition
  cli           the `monitorbook` command
"""
