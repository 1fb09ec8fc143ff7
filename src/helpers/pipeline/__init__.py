"""Building editions, one way through: validate -> execute -> render -> check (`pipeline.build`)."""
