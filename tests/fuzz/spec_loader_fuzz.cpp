// libFuzzer target: any bytes as a spec file, loaded and validated as `run` and `validate` do,
// with payload files read beneath a scratch root (see scratch.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/load.hpp"
#include "tests/fuzz/scratch.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ipcbox::fuzz::enter_scratch_root({
        {"specs/payload.bin", std::string("\x00\x01\x02\xff", 4)},
        {"specs/job.txt", "hello\n"},
        {"specs/sub/empty", ""},
        {"tmp/.keep", ""},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (bool files : {true, false}) {  // as a spec file, and as an inline hook spec
        ipcbox::config::LoadOptions options;
        options.allow_file_references = files;
        auto spec = ipcbox::config::load_spec_string(text, "spec.toml", "/specs", options);
        if (!spec) continue;
        if (ipcbox::config::validate(*spec)) (void)ipcbox::config::validate_on_host(*spec);
    }
    // As `validate` reads it: every problem, reading on past each one.
    (void)ipcbox::config::spec_problems(text, "spec.toml", "/specs");
    return 0;
}
