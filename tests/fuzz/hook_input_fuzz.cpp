// libFuzzer target: any bytes as the OCI state a hook reads on stdin, then the spec it names
// (io.ipcbox.spec from the spec dir, the inline io.ipcbox.spec.toml, the bundle's ipcbox.toml),
// loaded and validated as `ipcbox hook` does, beneath a scratch root (see scratch.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "launcher/hook/oci_state.hpp"
#include "launcher/hook/spec.hpp"
#include "tests/fuzz/scratch.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ipcbox::fuzz::enter_scratch_root({
        {"specs/db.toml", "[[sysv.queue]]\nkey = 0x1234\n[[sysv.queue.messages]]\ntext = 'x'\n"},
        {"specs/bad.toml", "[sysv\n"},
        {"bundle/ipcbox.toml", "[[posix.shm]]\nname = '/s'\nsize = 4096\nfile = 'data.bin'\n"},
        {"bundle/data.bin", "abc"},
        {"bundle/config.json", R"({"root":{"path":"rootfs"}})"},
        {"empty/.keep", ""},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ipcbox::launcher;
    auto state = parse_oci_state(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!state) return 0;
    for (bool inline_allowed : {false, true}) {
        SpecLookup lookup;
        lookup.spec_dir = "/specs";
        lookup.allow_inline = inline_allowed;
        (void)find_hook_spec(*state, lookup);
    }
    (void)read_bundle_config(state->bundle);
    return 0;
}
