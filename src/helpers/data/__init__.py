"""Reading and checking data: the codebook, survey exports, validation, derived variables, reviewed quotes."""
