// Intentionally empty: this target only supplies the `LoRaWANFuzzer_main` symbol (see entry.c).
