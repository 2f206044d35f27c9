// SwiftPM (tools version 5.5 and later) compiles an executable target's entry point as
// `<Module>_main` and links with `--defsym main=<Module>_main`, so that tests can link executables.
// The fuzzer is built with -parse-as-library, so Swift emits no entry point at all, and libFuzzer's
// `main` would be shadowed by a symbol that does not exist. This supplies it: the same thing
// libFuzzer's own `main` does, through libFuzzer's public driver entry point.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LoRaWANFuzzer_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
