"""The ground floor: what every other layer uses (memoising, code fingerprints, the edition manifest, checksums,
Dutch numbers and lists). Imports nothing from the helpers package above it."""
