// Which spec `ipcbox hook` applies: annotation names that cannot escape the spec directory, inline
// specs only when allowed and without file references, the bundle's ipcbox.toml, and root.path.
#include "launcher/hook/spec.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "launcher/hook/notes.hpp"
#include "launcher/hook/options.hpp"
#include "tests/unit/config/test_util.hpp"

namespace ipcbox::launcher {
namespace {

namespace fs = std::filesystem;

constexpr const char* kQueueSpec = "[[sysv.queue]]\nkey = 0x1234\n";

// A temporary tree: <dir>/specs (the spec dir), <dir>/bundle, and files written into them.
class HookSpecTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-hookspec-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        fs::create_directories(dir_ + "/specs");
        fs::create_directories(dir_ + "/bundle");
        lookup_.spec_dir = dir_ + "/specs";
        state_.id = "c1";
        state_.pid = 1;
        state_.bundle = dir_ + "/bundle";
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const std::string& relative, const std::string& text) {
        std::ofstream(dir_ + "/" + relative) << text;
    }
    Result<std::optional<HookSpec>> find() { return find_hook_spec(state_, lookup_); }
    std::string find_error() {
        auto r = find();
        return r.ok() ? "(no error)" : r.error().message;
    }

    std::string dir_;
    SpecLookup lookup_;
    OciState state_;
};

TEST(HookSpecName, AcceptsPlainNames) {
    for (const char* name : {"db", "my-spec_1.v2", "A", "x.y.z"})
        EXPECT_TRUE(check_spec_name(name).ok()) << name;
    EXPECT_TRUE(check_spec_name(std::string(kMaxSpecNameLength, 'a')).ok());
}

TEST(HookSpecName, RefusesAnythingThatCouldNameAnotherPath) {
    const std::string prefix = "annotation io.ipcbox.spec: ";
    EXPECT_EQ(check_spec_name("").error().message, prefix + "empty spec name");
    EXPECT_EQ(check_spec_name(std::string(kMaxSpecNameLength + 1, 'a')).error().message,
              prefix + "spec name longer than 128 characters");
    for (const char* name : {"a/b", "/etc/passwd", "../x", "a b", "x\n", "caf\xc3\xa9", "a\\b"})
        EXPECT_EQ(
            check_spec_name(name).error().message,
            prefix + "'" + name + "' is not a spec name (letters, digits, '.', '_' and '-' only)")
            << name;
    for (const char* name : {".", "..", ".hidden", "a..b", "x.."})
        EXPECT_EQ(check_spec_name(name).error().message,
                  prefix + "'" + name +
                      "' is not a spec name (it may not start with '.' or contain '..')")
            << name;
}

TEST_F(HookSpecTest, NamedSpecComesFromTheSpecDir) {
    write("specs/db.toml", kQueueSpec);
    state_.annotations["io.ipcbox.spec"] = "db";
    auto found = find();
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->source, dir_ + "/specs/db.toml");
    ASSERT_EQ((*found)->spec.objects.sysv_queues.size(), 1u);
    EXPECT_EQ(*(*found)->spec.objects.sysv_queues[0].key.value, 0x1234);
}

TEST_F(HookSpecTest, NamedSpecThatIsMissingIsAnError) {
    state_.annotations["io.ipcbox.spec"] = "nope";
    // Not strerror(ENOENT): podman reads that text in a hook's output as "command not found".
    auto found = find();
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().message, "spec not found: " + dir_ + "/specs/nope.toml");
    EXPECT_EQ(found.error().hint,
              "the io.ipcbox.spec annotation names a spec 'nope' that is not installed in the "
              "hook's spec directory " +
                  dir_ + "/specs (--spec-dir)");
}

TEST_F(HookSpecTest, NamesCannotLeaveTheSpecDir) {
    // A spec exists right next to the spec dir: ../outside would reach it.
    write("outside.toml", kQueueSpec);
    write("bundle/ipcbox.toml", kQueueSpec);
    state_.annotations["io.ipcbox.spec"] = "../outside";
    EXPECT_EQ(find_error(),
              "annotation io.ipcbox.spec: '../outside' is not a spec name (letters, "
              "digits, '.', '_' and '-' only)");
    state_.annotations["io.ipcbox.spec"] = "..";
    EXPECT_EQ(find_error(),
              "annotation io.ipcbox.spec: '..' is not a spec name (it may not "
              "start with '.' or contain '..')");
}

TEST_F(HookSpecTest, NamedSpecIsValidated) {
    write("specs/dup.toml", "[[sysv.queue]]\nkey = 1\n[[sysv.queue]]\nkey = 1\n");
    state_.annotations["io.ipcbox.spec"] = "dup";
    EXPECT_EQ(find_error(), dir_ + "/specs/dup.toml:3:1: sysv.queue[1] (key 0x1) duplicates " +
                                "sysv.queue[0] (key 0x1)");
}

TEST_F(HookSpecTest, InlineSpecNeedsAllowInline) {
    state_.annotations["io.ipcbox.spec.toml"] = kQueueSpec;
    auto refused = find();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message,
              "annotation io.ipcbox.spec.toml is not accepted by this hook");
    EXPECT_EQ(refused.error().hint,
              "the hook's administrator enables it with 'ipcbox hook --allow-inline'");

    lookup_.allow_inline = true;
    auto found = find();
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->source, "annotation io.ipcbox.spec.toml");
    EXPECT_EQ((*found)->spec.objects.sysv_queues.size(), 1u);
}

TEST_F(HookSpecTest, InlineSpecMayNotReferenceFiles) {
    lookup_.allow_inline = true;
    write("bundle/secret", "x");
    state_.annotations["io.ipcbox.spec.toml"] =
        "[[sysv.queue]]\nkey = 1\nmessages = [{ file = \"secret\" }]\n";
    EXPECT_EQ(find_error(),
              "annotation io.ipcbox.spec.toml:3:22: sysv.queue[0].messages[0].file: file payloads "
              "are not allowed in an inline spec; use text or hex");
    state_.annotations["io.ipcbox.spec.toml"] =
        "[[sysv.queue]]\nftok = { path = \"/etc/passwd\", proj = 1 }\n";
    EXPECT_EQ(find_error(),
              "annotation io.ipcbox.spec.toml:2:8: sysv.queue[0].ftok: ftok keys name files and "
              "are not allowed in an inline spec; use a literal key");
}

TEST_F(HookSpecTest, NamedSpecWinsOverInlineAndBundle) {
    write("specs/db.toml", kQueueSpec);
    write("bundle/ipcbox.toml", "[[sysv.shm]]\nkey = 9\nsize = 10\n");
    state_.annotations["io.ipcbox.spec"] = "db";
    state_.annotations["io.ipcbox.spec.toml"] = "not toml at all [";
    auto found = find();
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ((*found)->spec.objects.sysv_queues.size(), 1u);
    EXPECT_TRUE((*found)->spec.objects.sysv_shms.empty());
}

TEST_F(HookSpecTest, BundleSpecWhenNoAnnotation) {
    write("bundle/ipcbox.toml", kQueueSpec);
    auto found = find();
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->source, dir_ + "/bundle/ipcbox.toml");
}

TEST_F(HookSpecTest, NoSpecAtAllMeansNothingToDo) {
    auto found = find();
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_FALSE(found->has_value());
}

TEST_F(HookSpecTest, BundleMustBeAbsolute) {
    state_.bundle = "relative/bundle";
    EXPECT_EQ(find_error(),
              "OCI state: \"bundle\" must be an absolute path, got \"relative/bundle\"");
}

TEST_F(HookSpecTest, RootfsIsRelativeToTheBundleOrAbsolute) {
    write("bundle/config.json", R"({"ociVersion":"1.0.2","root":{"path":"rootfs"}})");
    auto relative = read_bundle_config(state_.bundle);
    ASSERT_TRUE(relative.ok()) << relative.error().message;
    EXPECT_EQ(relative->rootfs, state_.bundle + "/rootfs");
    EXPECT_TRUE(relative->sysctls.empty());
    write("bundle/config.json", R"({"root":{"path":"/var/lib/x/merged","readonly":true}})");
    auto absolute = read_bundle_config(state_.bundle);
    ASSERT_TRUE(absolute.ok()) << absolute.error().message;
    EXPECT_EQ(absolute->rootfs, "/var/lib/x/merged");
}

TEST_F(HookSpecTest, BundleConfigErrors) {
    auto error = [&] {
        auto r = read_bundle_config(state_.bundle);
        return r.ok() ? "(no error)" : r.error().message;
    };
    EXPECT_EQ(error(), state_.bundle + "/config.json: cannot read: No such file or directory");
    write("bundle/config.json", R"({"root":{}})");
    EXPECT_EQ(error(), state_.bundle + "/config.json: root.path is missing or not a string");
    write("bundle/config.json", "{");
    EXPECT_EQ(error(), state_.bundle + "/config.json: not a JSON object");
    state_.bundle = "";
    EXPECT_EQ(error(), "OCI state: \"bundle\" must be an absolute path, got \"\"");
}

TEST_F(HookSpecTest, RuntimeSysctlsThatReplaceTheSpecsAreNoted) {
    write(
        "bundle/config.json",
        R"({"root":{"path":"r"},"linux":{"sysctl":{"kernel.msgmnb":"20000","kernel.msgmax":"8192"}}})");
    auto bundle = read_bundle_config(state_.bundle);
    ASSERT_TRUE(bundle.ok()) << bundle.error().message;
    auto spec = config::testing::load("[sysctl]\nkernel.msgmnb = 32768\nkernel.msgmax = 8192\n");
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    const auto notes = overridden_sysctl_notes(*spec, *bundle);
    ASSERT_EQ(notes.size(), 1u);  // msgmax agrees
    EXPECT_EQ(notes[0],
              "[sysctl] kernel.msgmnb = 32768 is replaced by config.json's linux.sysctl value "
              "20000, which the runtime writes after the hook");
}

TEST(HookSpecKey, AllowSharedIpcDefaultsToFalse) {
    auto plain = config::testing::load("");
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain->hook.allow_shared_ipc);
    auto allowed = config::testing::load("[hook]\nallow_shared_ipc = true\n");
    ASSERT_TRUE(allowed.ok()) << allowed.error().message;
    EXPECT_TRUE(allowed->hook.allow_shared_ipc);
    EXPECT_EQ(config::testing::load_error("[hook]\nallow_shared_ipcs = true\n"),
              "spec.toml:2:1: hook: unknown key 'allow_shared_ipcs'; did you mean "
              "'allow_shared_ipc'?");
}

TEST(HookNotes, OnlySectionsTheRuntimeMustEnforce) {
    auto plain =
        config::testing::load("[sysctl]\nkernel.msgmnb = 65536\n[[sysv.queue]]\nkey = 1\n");
    ASSERT_TRUE(plain.ok());
    EXPECT_TRUE(runtime_only_notes(*plain).empty());
    auto runtime = config::testing::load(
        "[sandbox]\nnet = true\n[dev_shm]\nsize = \"1M\"\n[block]\nkinds = [\"sysv.shm\"]\n");
    ASSERT_TRUE(runtime.ok()) << runtime.error().message;
    const auto notes = runtime_only_notes(*runtime);
    ASSERT_EQ(notes.size(), 3u);
    EXPECT_EQ(notes[0].rfind("[sandbox] is not applied", 0), 0u) << notes[0];
    EXPECT_EQ(notes[1].rfind("[dev_shm] is not applied", 0), 0u) << notes[1];
    EXPECT_NE(notes[2].find("'ipcbox export seccomp -c SPEC'"), std::string::npos) << notes[2];
    // Landlock scopes and private paths belong to the runtime's config.json too.
    for (const char* toml :
         {"[sandbox]\nscope = [\"signal\"]\n", "[sandbox]\ntmpfs = [\"/tmp\"]\n"}) {
        auto sandbox = config::testing::load(toml);
        ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
        const auto only = runtime_only_notes(*sandbox);
        ASSERT_EQ(only.size(), 1u) << toml;
        EXPECT_EQ(only[0].rfind("[sandbox] is not applied", 0), 0u) << only[0];
    }
}

TEST(HookOptions, Defaults) {
    auto o = parse_hook_options({});
    ASSERT_TRUE(o.ok()) << o.error().message;
    EXPECT_EQ(o->lookup.spec_dir, "/etc/ipcbox/specs");
    EXPECT_FALSE(o->lookup.allow_inline);
    EXPECT_TRUE(o->log_path.empty());
    EXPECT_EQ(o->deadline_ms, kDefaultHookDeadlineMs);
}

TEST(HookOptions, AllFlags) {
    auto o = parse_hook_options(
        {"--spec-dir", "/s", "--log", "/l", "--allow-inline", "--deadline", "0.25"});
    ASSERT_TRUE(o.ok()) << o.error().message;
    EXPECT_EQ(o->lookup.spec_dir, "/s");
    EXPECT_EQ(o->log_path, "/l");
    EXPECT_TRUE(o->lookup.allow_inline);
    EXPECT_EQ(o->deadline_ms, 250);
}

TEST(HookOptions, RefusesRelativePathsAndBadValues) {
    EXPECT_EQ(parse_hook_options({"--spec-dir", "specs"}).error().message,
              "--spec-dir: 'specs' must be an absolute path");
    EXPECT_EQ(parse_hook_options({"--log", "hook.log"}).error().message,
              "--log: 'hook.log' must be an absolute path");
    EXPECT_FALSE(parse_hook_options({"--deadline", "0"}).ok());
    EXPECT_FALSE(parse_hook_options({"--deadline", "-1"}).ok());
    EXPECT_FALSE(parse_hook_options({"--deadline", "3601"}).ok());
    EXPECT_FALSE(parse_hook_options({"--deadline", "soon"}).ok());
    EXPECT_FALSE(parse_hook_options({"--spec", "x"}).ok());
    EXPECT_FALSE(parse_hook_options({"extra"}).ok());
}

// A flag cut short is refused, never guessed (a new flag must not change what an old hooks.d
// entry means), and the error names the flag it is the beginning of.
TEST(HookOptions, AbbreviationsAreRefusedWithTheFlagMeant) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"--spec", "/s"}, "unrecognised option '--spec'; did you mean '--spec-dir'?"},
        {{"--allow"}, "unrecognised option '--allow'; did you mean '--allow-inline'?"},
        {{"--dead", "1"}, "unrecognised option '--dead'; did you mean '--deadline'?"},
    };
    for (const auto& [args, message] : cases) {
        auto o = parse_hook_options(args);
        ASSERT_FALSE(o.ok()) << args[0];
        EXPECT_EQ(o.error().message, message);
        EXPECT_EQ(o.error().hint, "see 'ipcbox hook --help'");
    }
}

}  // namespace
}  // namespace ipcbox::launcher
